import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeDnsPort } from './ports.js';

/**
 * A private Knot DNS server (Debian package `knot`) on 127.0.0.1, a random port, UDP and TCP,
 * serving each zone with an SOA, an NS and `ns1 A 127.0.0.1`, and accepting RFC 2136 updates
 * signed with its own TSIG key. Everything it writes lives in one temp dir, removed by stop().
 */
export interface KnotServer {
  /** `127.0.0.1:PORT`. */
  address: string;
  keyName: string;
  /** Base64 HMAC-SHA256 secret. */
  keySecret: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const KEY_NAME = 'mailwright-test.';

export async function startKnot(opts: {
  zones: string[];
  /** Zone-file lines added to every zone, names relative to it: `keep TXT "untouched"`. */
  records?: string[];
  /** Zone-file lines added to the named zone only, after `records`. */
  zoneRecords?: Record<string, string[]>;
}): Promise<KnotServer> {
  const dir = await mkdtemp(join(tmpdir(), 'mailwright-knot-'));
  const keySecret = randomBytes(32).toString('base64');
  try {
    for (const sub of ['run', 'db', 'zones']) await mkdir(join(dir, sub));
    for (const zone of opts.zones) {
      await writeFile(
        join(dir, 'zones', `${zone}.zone`),
        zoneFile(zone, [...(opts.records ?? []), ...(opts.zoneRecords?.[zone] ?? [])]),
      );
    }
    const port = await freeDnsPort();
    const config = join(dir, 'knot.conf');
    await writeFile(config, knotConfig(dir, port, keySecret, opts.zones), { mode: 0o600 });
    const knotd = existsSync('/usr/sbin/knotd') ? '/usr/sbin/knotd' : 'knotd';
    const child = spawn(knotd, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
    });
    const address = `127.0.0.1:${port}`;
    try {
      await waitForZones(child, address, opts.zones, () => log);
    } catch (error) {
      await stopChild(child);
      throw error;
    }
    return {
      address,
      keyName: KEY_NAME,
      keySecret,
      async stop() {
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function knotConfig(dir: string, port: number, secret: string, zones: string[]): string {
  return [
    'server:',
    `    rundir: "${join(dir, 'run')}"`,
    `    listen: 127.0.0.1@${port}`,
    'database:',
    `    storage: "${join(dir, 'db')}"`,
    'log:',
    '  - target: stderr',
    '    any: warning',
    'key:',
    `  - id: ${KEY_NAME}`,
    '    algorithm: hmac-sha256',
    `    secret: ${secret}`,
    'acl:',
    '  - id: update',
    `    key: ${KEY_NAME}`,
    '    action: update',
    'template:',
    '  - id: default',
    `    storage: "${join(dir, 'zones')}"`,
    '    file: "%s.zone"',
    'zone:',
    ...zones.flatMap((zone) => [`  - domain: ${zone}.`, '    acl: update']),
    '',
  ].join('\n');
}

function zoneFile(zone: string, records: string[]): string {
  return [
    `$ORIGIN ${zone}.`,
    '$TTL 3600',
    `@ SOA ns1.${zone}. hostmaster.${zone}. 1 3600 900 604800 300`,
    `@ NS ns1.${zone}.`,
    'ns1 A 127.0.0.1',
    ...records,
    '',
  ].join('\n');
}

/** Resolves once every zone answers its SOA; rejects if knotd exits or never answers. */
async function waitForZones(
  child: ChildProcess,
  address: string,
  zones: string[],
  log: () => string,
): Promise<void> {
  const started = Date.now();
  let exited = false;
  let failure = '';
  child.once('exit', () => {
    exited = true;
  });
  child.once('error', (error: NodeJS.ErrnoException) => {
    exited = true;
    if (error.code === 'ENOENT')
      failure = 'knotd is not installed: run scripts/install-test-deps.sh';
  });
  for (;;) {
    if (exited) throw new Error(failure || `knotd exited while starting on ${address}:\n${log()}`);
    const answered = await Promise.all(zones.map((zone) => answersSoa(address, zone)));
    if (answered.every(Boolean)) return;
    if (Date.now() - started > READY_TIMEOUT_MS) {
      throw new Error(`knotd on ${address} did not answer SOA queries in time:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function answersSoa(address: string, zone: string): Promise<boolean> {
  const resolver = new Resolver({ timeout: 250, tries: 1 });
  resolver.setServers([address]);
  try {
    await resolver.resolveSoa(zone);
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
