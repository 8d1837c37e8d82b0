import {
  mkdirSync,
  chmodSync,
  openSync,
  closeSync,
  statSync,
  utimesSync,
  readFileSync,
} from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports for the servers the tests start (Postfix, Dovecot, DNS and ACME servers…), which bind
 * them seconds after the test chose them. Two things could take a port in between, and did
 * (CI: "bind 127.0.0.1 port 42111: Address already in use"):
 *
 * - any outgoing connection on the machine, whose local port the kernel picks from its ephemeral
 *   range: so the ports come from below that range, where the kernel never picks;
 * - another test worker choosing the same port: so each port is claimed by creating a file
 *   named after it, which succeeds in one process only. A claim older than CLAIM_TTL_MS belongs
 *   to a run that is over, and is taken over.
 *
 * A claimed port is also checked free on 127.0.0.1 (a service of the machine may sit there).
 */
const FIRST_PORT = 10_000;
const CLAIMS = join(tmpdir(), 'mailwright-test-ports');
const CLAIM_TTL_MS = 60 * 60 * 1000;

/** The first port of the kernel's ephemeral range (32768 when /proc does not say). */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const port = Number(low);
    return Number.isInteger(port) && port > FIRST_PORT + 1_000 ? port : 32_768;
  } catch {
    return 32_768;
  }
}

const END_PORT = ephemeralStart();

/** Claims `port` for this process; false when another process holds a live claim. */
function claim(port: number): boolean {
  const file = join(CLAIMS, String(port));
  try {
    closeSync(openSync(file, 'wx'));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    if (Date.now() - statSync(file).mtimeMs < CLAIM_TTL_MS) return false;
    const now = new Date();
    utimesSync(file, now, now);
    return true;
  } catch {
    return false;
  }
}

const listenable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

const udpBindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });

let claimsReady = false;

/** A port claimed for this process that `usable` finds free on 127.0.0.1. */
async function claimedPort(usable: (port: number) => Promise<boolean>): Promise<number> {
  if (!claimsReady) {
    mkdirSync(CLAIMS, { recursive: true });
    // Shared by the tests run as root and as other users.
    if (statSync(CLAIMS).uid === process.getuid?.()) chmodSync(CLAIMS, 0o1777);
    claimsReady = true;
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (END_PORT - FIRST_PORT));
    if (claim(port) && (await usable(port))) return port;
  }
  throw new Error(`No free port between ${FIRST_PORT} and ${END_PORT} on 127.0.0.1`);
}

/** A TCP port on 127.0.0.1 that nobody listens on, that no other test process will be given. */
export const freePort = (): Promise<number> => claimedPort(listenable);

/** As freePort, and free for UDP as well: a DNS server takes both. */
export const freeDnsPort = (): Promise<number> =>
  claimedPort(async (port) => (await listenable(port)) && (await udpBindable(port)));
