import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Database from 'better-sqlite3';
import { freeDnsPort, freePort } from './ports.js';

/**
 * A private PowerDNS Authoritative server (Debian's `pdns-server` and `pdns-backend-sqlite3`,
 * installed by scripts/install-test-deps.sh) on loopback: DNS and the HTTP API on random free
 * ports, its config and sqlite3 database in a temporary folder, the given zones created empty
 * (SOA and NS only) through the API.
 */
export interface TestPdns {
  /** `http://127.0.0.1:PORT`, the webserver that serves `/api/v1`. */
  apiUrl: string;
  apiKey: string;
  /** `127.0.0.1:PORT`, for `Resolver#setServers` or MAILWRIGHT_DNS_SERVERS. */
  dnsAddress: string;
  /** GET/POST/PATCH/DELETE on the API as an administrator would, e.g. to seed foreign records. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

const SCHEMA_FILES = [
  '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql',
  '/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql',
];
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;
const INSTALL_HINT =
  'run scripts/install-test-deps.sh (Debian packages pdns-server, pdns-backend-sqlite3)';

export async function startPdns(opts: { zones: string[] }): Promise<TestPdns> {
  const binary = findBinary('pdns_server');
  const schemaFile = SCHEMA_FILES.find((f) => existsSync(f));
  if (!binary) throw new Error(`pdns_server is not installed: ${INSTALL_HINT}`);
  if (!schemaFile) throw new Error(`the PowerDNS sqlite3 schema is not installed: ${INSTALL_HINT}`);

  let lastError: unknown;
  // Free ports are found by binding and releasing them, so another process may take one before
  // pdns binds it; a start that fails that way is tried again on new ports.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(binary, schemaFile, opts.zones);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, schemaFile: string, zones: string[]): Promise<TestPdns> {
  const dir = mkdtempSync(join(tmpdir(), 'mailwright-pdns-'));
  const database = join(dir, 'pdns.sqlite3');
  const db = new Database(database);
  db.exec(readFileSync(schemaFile, 'utf8'));
  db.close();

  const apiKey = randomBytes(18).toString('base64url');
  const dnsPort = await freeDnsPort();
  const apiPort = await freePort();
  const config = {
    launch: 'gsqlite3',
    'gsqlite3-database': database,
    api: 'yes',
    'api-key': apiKey,
    webserver: 'yes',
    'webserver-address': '127.0.0.1',
    'webserver-port': String(apiPort),
    'webserver-allow-from': '127.0.0.1',
    'local-address': '127.0.0.1',
    'local-port': String(dnsPort),
    'socket-dir': dir,
    guardian: 'no',
    daemon: 'no',
    'disable-syslog': 'yes',
    // No outgoing queries: the security status poll would ask the Internet's DNS.
    'security-poll-suffix': '',
    // Answer from the database every time, so a test sees a PATCH at once.
    'cache-ttl': '0',
    'negquery-cache-ttl': '0',
    'query-cache-ttl': '0',
    'receiver-threads': '1',
    'distributor-threads': '1',
    // Runs as whoever runs the tests (root on CI), which owns the temporary folder; dropping to
    // the pdns user would lose access to it.
  };
  writeFileSync(
    join(dir, 'pdns.conf'),
    Object.entries(config)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );

  const child = spawn(binary, [`--config-dir=${dir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const killOnExit = () => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    await killChild(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A plain-text answer, e.g. `Unauthorized`.
    }
    return { status: response.status, body: parsed as any };
  };

  try {
    await waitForApi(api, child, () => log);
    for (const zone of zones) {
      const name = `${zone.toLowerCase().replace(/\.$/, '')}.`;
      const created = await api('POST', '/api/v1/servers/localhost/zones', {
        name,
        kind: 'Native',
        nameservers: [`ns1.${name}`],
      });
      if (created.status !== 201) {
        throw new Error(
          `creating zone ${name} failed: HTTP ${created.status} ${JSON.stringify(created.body)}`,
        );
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { apiUrl, apiKey, dnsAddress: `127.0.0.1:${dnsPort}`, api, stop };
}

async function waitForApi(
  api: TestPdns['api'],
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `pdns_server exited (${child.exitCode ?? child.signalCode}) while starting:\n${log()}`,
      );
    }
    try {
      const { status } = await api('GET', '/api/v1/servers/localhost');
      if (status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`pdns_server's API did not answer within ${START_TIMEOUT_MS} ms:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM to this child's own pid, SIGKILL if it has not exited after STOP_TIMEOUT_MS. */
async function killChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
  });
  if ((await Promise.race([exited, late])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

function findBinary(name: string): string | undefined {
  // Debian installs it in /usr/sbin, which a non-root PATH often lacks.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs
    .filter(Boolean)
    .map((d) => join(d, name))
    .find((p) => existsSync(p));
}
