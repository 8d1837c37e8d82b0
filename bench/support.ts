import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { loadConfig } from '../src/app/config.js';
import { MAILBOX_LIMIT_RANGE } from '../src/core/limits.js';
import { DEFAULT_QUOTA_MB } from '../src/core/quota.js';
import { buildApp } from '../src/http/app.js';
import { setAccountLimits } from '../src/services/accounts/set-account-limits.js';
import { addDomain } from '../src/services/domains/add-domain.js';
import type { Actor, ServiceContext } from '../src/services/context.js';
import { createAccount } from '../src/services/accounts/create-account.js';
import { createApiToken } from '../src/services/auth/create-api-token.js';
import { openContext } from '../src/app/open-context.js';
import { verifyDomain } from '../src/services/domains/verify-domain.js';
import type { Dialect } from '../src/store/dialect.js';

/** One line of the results table. `target` is omitted for figures given only for context. */
export interface Row {
  benchmark: string;
  result: number;
  unit: string;
  target?: Target;
}

export interface Target {
  op: '<' | '>';
  value: number;
}

/**
 * A suite is one file under bench/ that sets up what it needs, measures, cleans up and returns
 * rows. run.ts lists them; adding a suite is a new file and one line there.
 */
export interface Suite {
  name: string;
  run(): Promise<Row[]>;
}

/** Company names for bench domains, so hostnames read like a customer's. */
export const COMPANIES = [
  'northwind',
  'contoso',
  'fabrikam',
  'initech',
  'globex',
  'umbrella',
  'hooli',
  'acme',
  'vandelay',
  'wayne',
] as const;

export const CORES = availableParallelism();
/** libuv's threadpool, where @node-rs/argon2 (napi async work) runs its hashes. */
/** A positive whole number from the environment, for a quick check with small counts. */
export const fromEnv = (name: string, fallback: number): number =>
  Math.max(1, Math.floor(Number(process.env[name]) || fallback));

export const UV_THREADPOOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;

export const PG_URL =
  process.env.MAILWRIGHT_BENCH_PG_URL ??
  process.env.MAILWRIGHT_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** Progress goes to stderr so stdout carries only the header and the table. */
export function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Databases and a real HTTP server

/**
 * A service context wired the way the server wires it (openContext: store, migrations, secrets,
 * resolvers) over a database nothing else uses: a new SQLite file in a temp dir, or a new
 * PostgreSQL schema selected through `search_path` (as test/support/dialects.ts does); its URL
 * for processes that open it themselves (the mail servers). `drop` closes it and removes the
 * file or schema.
 */
export async function freshContext(dialect: Dialect): Promise<{
  ctx: ServiceContext;
  databaseUrl: string;
  /** The server key, hex, for server processes started on the same database. */
  secretKey: string;
  drop(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailwright-bench-'));
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  let databaseUrl = `sqlite:${join(dataDir, 'bench.db')}`;
  if (dialect === 'postgres') {
    await adminQuery(`create schema ${schema}`);
    databaseUrl = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }
  const removeData = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await adminQuery(`drop schema ${schema} cascade`);
  };
  try {
    const secretKey = randomBytes(32);
    const config = { ...loadConfig({}), databaseUrl, dataDir, secretKey };
    const { ctx, close } = await openContext(config);
    return {
      ctx,
      databaseUrl,
      secretKey: secretKey.toString('hex'),
      async drop() {
        await close();
        await removeData();
      },
    };
  } catch (error) {
    await removeData();
    throw error;
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface BenchServer {
  ctx: ServiceContext;
  actor: Actor;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** The account's bearer token, for clients other than `request` (see `keepAliveLanes`). */
  token: string;
  /** JSON `body`, or with `contentType` a string body sent as-is (e.g. text/csv). */
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; text: string }>;
  /**
   * Adds a root domain sized for `mailboxes` default-quota mailboxes (at most 100, the platform's
   * cap per hostname) and marks it verified the operator's way (no DNS involved).
   */
  verifiedDomain(name: string, mailboxes?: number): Promise<void>;
  close(): Promise<void>;
}

/** The most mailboxes one hostname may hold (100). */
export const MAX_MAILBOXES_PER_HOSTNAME = MAILBOX_LIMIT_RANGE[1];

/**
 * The API as production runs it: buildApp over the context, listening on a real loopback
 * socket, with one account and its bearer token. The account's limits are raised as an
 * operator would for a large customer, so the suites measure speed, not the rate limits.
 * Requests go through Node's built-in fetch (undici, keep-alive), so parsing, auth,
 * validation, serialisation and the socket are all measured.
 */
export async function startServer(ctx: ServiceContext): Promise<BenchServer> {
  const account = await createAccount(ctx, { name: 'bench', actor: 'bench' });
  await setAccountLimits(ctx, {
    account: 'bench',
    changes: { maxMailboxesPerDomain: MAX_MAILBOXES_PER_HOSTNAME, maxMailboxesPerHour: 1_000_000 },
    actor: 'bench',
  });
  const { id, token } = await createApiToken(ctx, { account: 'bench', actor: 'bench' });
  const actor: Actor = { accountId: account.id, name: `token:${id}` };
  const app = await buildApp(ctx);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const headers = { authorization: `Bearer ${token}` };
  return {
    ctx,
    actor,
    baseUrl,
    token,
    async request(method, path, body, contentType) {
      const res = await fetch(baseUrl + path, {
        method,
        headers:
          body === undefined
            ? headers
            : { ...headers, 'content-type': contentType ?? 'application/json' },
        ...(body === undefined ? {} : { body: contentType ? String(body) : JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    },
    async verifiedDomain(name, mailboxes = MAX_MAILBOXES_PER_HOSTNAME) {
      await addDomain(ctx, actor, {
        name,
        mailboxLimit: mailboxes,
        quotaMb: mailboxes * DEFAULT_QUOTA_MB,
      });
      await verifyDomain(ctx, actor, name, { manual: true });
    },
    close: () => app.close(),
  };
}

/**
 * An answer read by keepAliveLanes: its body as bytes, decoded to text only when read, so a
 * bench that checks a few bytes of it makes no garbage of its own in the server's process.
 */
export interface LaneResponse {
  status: number;
  bytes: Buffer;
  readonly text: string;
}

/**
 * A minimal HTTP/1.1 client for suites that measure the server's share of a request: `lanes`
 * keep-alive connections, one request in flight on each, the request written as one buffer and
 * the answer read by its Content-Length (Fastify sends one on every answer). Node's fetch costs
 * the shared main thread about a millisecond per request (web streams, the fetch algorithm),
 * as much as the server's own work on a small answer, which a ratio to a ceiling that has no
 * client would count as the server's. A connection the server closed while idle (keep-alive
 * timeout) is opened again on its next request.
 */
export function keepAliveLanes(
  server: Pick<BenchServer, 'baseUrl' | 'token'>,
  lanes: number,
): {
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<LaneResponse>;
  close(): void;
} {
  const { hostname, port } = new URL(server.baseUrl);
  const fixed = `Host: ${hostname}:${port}\r\nAuthorization: Bearer ${server.token}\r\n`;
  interface Lane {
    socket: Socket | null;
    received: Buffer;
    done: ((error: Error | null, res?: LaneResponse) => void) | null;
  }
  const idle: Lane[] = [];
  const waiting: ((lane: Lane) => void)[] = [];
  const all: Lane[] = [];
  const HEADER_END = Buffer.from('\r\n\r\n');
  const open = (lane: Lane): Socket => {
    const socket = connect(Number(port), hostname);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      lane.received = lane.received.length === 0 ? chunk : Buffer.concat([lane.received, chunk]);
      const end = lane.received.indexOf(HEADER_END);
      if (end < 0 || !lane.done) return;
      const head = lane.received.subarray(0, end).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!length) {
        lane.done(new Error(`an answer without Content-Length: ${head.slice(0, 200)}`));
        return;
      }
      const total = end + HEADER_END.length + Number(length[1]);
      if (lane.received.length < total) return;
      const bytes = lane.received.subarray(end + HEADER_END.length, total);
      lane.received = lane.received.subarray(total);
      const done = lane.done;
      lane.done = null;
      done(null, {
        status: Number(head.slice(9, 12)),
        bytes,
        get text() {
          return bytes.toString('utf8');
        },
      });
    });
    const lost = (error?: Error) => {
      lane.socket = null;
      lane.received = Buffer.alloc(0);
      const done = lane.done;
      lane.done = null;
      done?.(error ?? new Error('the server closed the connection during a request'));
    };
    socket.on('error', lost);
    socket.on('close', () => lost());
    return socket;
  };
  for (let i = 0; i < lanes; i++) {
    const lane: Lane = { socket: null, received: Buffer.alloc(0), done: null };
    all.push(lane);
    idle.push(lane);
  }
  const release = (lane: Lane) => {
    const next = waiting.shift();
    if (next) next(lane);
    else idle.push(lane);
  };
  return {
    async request(method, path, body) {
      const lane = idle.pop() ?? (await new Promise<Lane>((resolve) => waiting.push(resolve)));
      try {
        const payload = body === undefined ? '' : JSON.stringify(body);
        const head =
          `${method} ${path} HTTP/1.1\r\n${fixed}` +
          (body === undefined
            ? '\r\n'
            : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n`);
        return await new Promise<LaneResponse>((resolve, reject) => {
          lane.done = (error, res) => (error ? reject(error) : resolve(res!));
          lane.socket ??= open(lane);
          lane.socket.write(head + payload);
        });
      } finally {
        release(lane);
      }
    },
    close() {
      for (const lane of all) lane.socket?.destroy();
    },
  };
}

/** Throws with the response body when a request did not get the status the suite relies on. */
export function expectStatus(
  res: { status: number; text: string },
  expected: number,
  what: string,
): void {
  if (res.status !== expected) {
    throw new Error(
      `${what}: expected HTTP ${expected}, got ${res.status}: ${res.text.slice(0, 500)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** Runs `task(0 … count-1)` with at most `concurrency` in flight; rejects on the first failure. */
export async function inParallel(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const fullGc: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

/**
 * A full, blocking garbage collection, so garbage a suite made while setting up (e.g. 100k
 * rows to insert) is not collected in the middle of its timed requests. Best effort: a no-op
 * where V8 refuses to expose `gc`.
 */
export function collectGarbage(): void {
  fullGc?.();
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Deterministic PRNG (mulberry32) so every run measures the same data and queries. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

const FIRST = [
  'james',
  'mary',
  'john',
  'patricia',
  'robert',
  'jennifer',
  'michael',
  'linda',
  'william',
  'elizabeth',
  'david',
  'barbara',
  'richard',
  'susan',
  'joseph',
  'jessica',
  'thomas',
  'sarah',
  'charles',
  'karen',
  'christopher',
  'nancy',
  'daniel',
  'lisa',
  'matthew',
  'betty',
  'anthony',
  'margaret',
  'mark',
  'sandra',
  'donald',
  'ashley',
  'steven',
  'kimberly',
  'paul',
  'emily',
  'andrew',
  'donna',
  'joshua',
  'michelle',
  'kenneth',
  'dorothy',
  'kevin',
  'carol',
  'brian',
  'amanda',
  'george',
  'melissa',
  'edward',
  'deborah',
  'ronald',
  'stephanie',
  'timothy',
  'rebecca',
  'jason',
  'sharon',
  'jeffrey',
  'laura',
  'ryan',
  'cynthia',
];
const LAST = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'hernandez',
  'lopez',
  'gonzalez',
  'wilson',
  'anderson',
  'thomas',
  'taylor',
  'moore',
  'jackson',
  'martin',
  'lee',
  'perez',
  'thompson',
  'white',
  'harris',
  'sanchez',
  'clark',
  'ramirez',
  'lewis',
  'robinson',
  'walker',
  'young',
  'allen',
  'king',
  'wright',
  'scott',
  'torres',
  'nguyen',
  'hill',
  'flores',
  'green',
  'adams',
  'nelson',
  'baker',
  'hall',
  'rivera',
  'campbell',
  'mitchell',
  'carter',
  'roberts',
];
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export interface Person {
  localPart: string;
  domain: string;
  name: string;
}

/**
 * Realistic, deterministic people, `perDomain` on each: josh.smith, jsmith, smith.josh, josh_smith2, …
 * (`domains` filled in order).
 */
export function people(domains: string[], perDomain: number, random: () => number): Person[] {
  const seen = new Set<string>();
  const out: Person[] = [];
  while (out.length < domains.length * perDomain) {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const domain = domains[Math.floor(out.length / perDomain)]!;
    const shapes = [
      `${first}.${last}`,
      `${first}${last}`,
      `${first[0]}${last}`,
      `${first}_${last}`,
      `${last}.${first}`,
    ];
    let localPart = pick(random, shapes);
    if (seen.has(`${localPart}@${domain}`)) localPart += String(1 + Math.floor(random() * 9999));
    if (seen.has(`${localPart}@${domain}`)) continue;
    seen.add(`${localPart}@${domain}`);
    out.push({ localPart, name: `${capital(first)} ${capital(last)}`, domain });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output

export function machineFacts(): string {
  const model = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  // The load average says whether other work shared the cores, which shows first in the p99s.
  const load = loadavg()[0]!.toFixed(2);
  return `${CORES} cores (${model}), Node ${process.version}, ${process.platform}/${process.arch}, UV_THREADPOOL_SIZE=${UV_THREADPOOL_SIZE}, load average ${load} at start`;
}

export function isOk(row: Row): boolean | undefined {
  if (!row.target) return undefined;
  return row.target.op === '<' ? row.result < row.target.value : row.result > row.target.value;
}

export function formatNumber(n: number): string {
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** An aligned Markdown table, readable in a terminal and pasteable into an issue as-is. */
export function markdownTable(rows: Row[]): string {
  const header = ['benchmark', 'result', 'unit', 'target', 'ok?'];
  const body = rows.map((row) => {
    const ok = isOk(row);
    return [
      row.benchmark,
      formatNumber(row.result),
      row.unit,
      row.target ? `${row.target.op} ${formatNumber(row.target.value)}` : '',
      ok === undefined ? '' : ok ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((cells) => cells[c]!.length)));
  const right = [false, true, false, true, false];
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (right[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (right[c] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
