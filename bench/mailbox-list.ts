import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { hashPassword } from '../src/core/password-hash.js';
import { DEFAULT_QUOTA_MB } from '../src/core/quota.js';
import { sendWindows } from '../src/core/sending.js';
import type { Dialect } from '../src/store/dialect.js';
import { encodeCursor } from '../src/store/cursor.js';
import { insertChunks } from '../src/store/insert-chunks.js';
import { insertMailboxes, mailboxPageQuery } from '../src/store/mailboxes.js';
import { writeMailboxPage } from '../src/http/routes/mailboxes.js';
import { listMailboxesJson } from '../src/services/mailboxes/list-mailboxes.js';
import type { Database, NewDomainRow, NewMailboxRow } from '../src/store/schema.js';
import {
  collectGarbage,
  MAX_MAILBOXES_PER_HOSTNAME,
  expectStatus,
  freshContext,
  keepAliveLanes,
  log,
  people,
  percentile,
  pick,
  seededRandom,
  startServer,
  type BenchServer,
  type Row,
  type Suite,
  COMPANIES,
} from './support.js';

/**
 * The store sizes measured, one after the other in the same database (the second load adds to
 * the first). MAILWRIGHT_BENCH_LIST_1M=0 leaves out the 1,000,000 size for a quicker run.
 */
const SIZES = process.env.MAILWRIGHT_BENCH_LIST_1M === '0' ? [100_000] : [100_000, 1_000_000];
/** Mailboxes per transaction while loading: a few thousand statements, no huge transaction. */
const ROWS_PER_TRANSACTION = 50_000;
/** 20 hostnames per root domain, the root and the default 19 of its 20 sub-domains. */
const LABELS = [
  'sales',
  'support',
  'info',
  'team',
  'hello',
  'news',
  'mail',
  'go',
  'get',
  'try',
  'join',
  'hq',
  'eu',
  'us',
  'uk',
  'de',
  'fr',
  'app',
  'pro',
];
/**
 * Some mailboxes have sent mail today and in the last hour, and some forward, so a page shows
 * what the mail plane counted and where mail goes, as a live account's pages do.
 */
const SENDING_EVERY = 10;
const FORWARDING_EVERY = 100;
const PAGE = 100;
const WARMUP = 100;
const WALK_PAGES = 300;
/** Enough that a p99 is the 5th-slowest sample, not the 2nd: one hiccup of a shared machine. */
const DEEP_CURSORS = 500;
const PREFIXES = 500;
const P99_TARGET_MS = 5;
/** A page of 100 may cost at most this much more than a page of one, measured alike. */
const RATIO_TARGET = 1.3;

/** The n-th root domain: northwind.example, contoso.example, …, northwind1.example, … */
const rootName = (k: number) =>
  `${COMPANIES[k % COMPANIES.length]}${k < COMPANIES.length ? '' : Math.floor(k / COMPANIES.length)}.example`;

/**
 * Bypasses the API (which would spend hours hashing): mailboxes `from` … `to` of the bench's
 * people, on hostnames `from/100` … `to/100` (each full at 100), in multi-row inserts
 * (src/store/insert-chunks.ts) inside transactions of ROWS_PER_TRANSACTION, every row sharing
 * one precomputed hash of the real format and length; with their send counts and forwards.
 */
async function load(
  server: BenchServer,
  from: number,
  to: number,
  random: () => number,
): Promise<{ addresses: string[]; rowsPerSecond: number }> {
  const db = server.ctx.store.db;
  const now = new Date();
  const nowIso = now.toISOString();
  const domainIds = new Map<string, string>();
  const hostname = (name: string, parentId: string | null): NewDomainRow => {
    const id = randomUUID();
    domainIds.set(name, id);
    return {
      id,
      account_id: server.actor.accountId,
      name,
      unicode_name: name,
      kind: parentId ? 'subdomain' : 'root',
      parent_id: parentId,
      status: 'verified',
      verification_token: randomUUID(),
      created_at: nowIso,
      verified_at: nowIso,
      mailbox_limit: MAX_MAILBOXES_PER_HOSTNAME,
      quota_mb: MAX_MAILBOXES_PER_HOSTNAME * DEFAULT_QUOTA_MB,
    };
  };
  const perRoot = 1 + LABELS.length;
  const firstRoot = from / MAX_MAILBOXES_PER_HOSTNAME / perRoot;
  const lastRoot = to / MAX_MAILBOXES_PER_HOSTNAME / perRoot;
  await db.transaction().execute(async (trx) => {
    for (let k = firstRoot; k < lastRoot; k++) {
      const parent = hostname(rootName(k), null);
      await trx.insertInto('domains').values(parent).execute();
      await trx
        .insertInto('domains')
        .values(LABELS.map((label) => hostname(`${label}.${parent.name}`, parent.id)))
        .execute();
    }
  });

  const passwordHash = await hashPassword('bench-password');
  const everyone = people([...domainIds.keys()], MAX_MAILBOXES_PER_HOSTNAME, random);
  const windows = sendWindows(now);
  const start = performance.now();
  for (let i = 0; i < everyone.length; i += ROWS_PER_TRANSACTION) {
    const mailboxes: NewMailboxRow[] = [];
    const counts: Database['send_counts'][] = [];
    const forwards: Database['mailbox_forwards'][] = [];
    for (const [j, p] of everyone.slice(i, i + ROWS_PER_TRANSACTION).entries()) {
      const n = i + j;
      const id = randomUUID();
      const forwarding = n % FORWARDING_EVERY === FORWARDING_EVERY - 1;
      mailboxes.push({
        id,
        account_id: server.actor.accountId,
        domain_id: domainIds.get(p.domain)!,
        local_part: p.localPart,
        address: `${p.localPart}@${p.domain}`,
        name: p.name,
        password_hash: passwordHash,
        quota_mb: DEFAULT_QUOTA_MB,
        active: 1,
        created_at: nowIso,
        updated_at: nowIso,
        forward_keep_copy: forwarding ? 1 : null,
      });
      if (forwarding)
        forwards.push({ mailbox_id: id, position: 0, target: `archive${n}@elsewhere.example` });
      if (n % SENDING_EVERY === 0) {
        const sent = 1 + Math.floor(random() * 50);
        counts.push(
          { mailbox_id: id, period: 'day', window_start: windows.day, count: sent },
          { mailbox_id: id, period: 'minute', window_start: windows.minute, count: sent },
        );
      }
    }
    await db.transaction().execute(async (trx) => {
      await insertMailboxes(trx, mailboxes);
      for (const chunk of insertChunks(counts))
        await trx.insertInto('send_counts').values(chunk).execute();
      for (const chunk of insertChunks(forwards)) {
        await trx.insertInto('mailbox_forwards').values(chunk).execute();
      }
    });
  }
  const rowsPerSecond = everyone.length / ((performance.now() - start) / 1000);
  return { addresses: everyone.map((p) => `${p.localPart}@${p.domain}`), rowsPerSecond };
}

/** The plan of a page query, as the database would run it now, for the log. */
async function explainPage(
  db: Kysely<Database>,
  dialect: Dialect,
  accountId: string,
  after: string | undefined,
): Promise<string> {
  const compiled = mailboxPageQuery(db, accountId, {
    after,
    limit: PAGE,
    windows: sendWindows(new Date()),
  }).compile();
  const prefix = dialect === 'sqlite' ? 'explain query plan' : 'explain (analyze, buffers)';
  const { rows } = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(`${prefix} ${compiled.sql}`, [...compiled.parameters]),
  );
  return rows.map((r) => String(dialect === 'sqlite' ? r.detail : r['QUERY PLAN'])).join('\n    ');
}

type Client = ReturnType<typeof keepAliveLanes>;

/**
 * One request, timed from send to the last byte of the body; one in flight at a time. The page
 * is checked in its bytes, not parsed: the client shares the server's process, and decoding
 * and parsing each page of 100 was 45 of the 104 kB a SQLite request allocated there (13% on
 * PostgreSQL), garbage whose scavenges a server answering other processes never meets.
 */
async function timedGet(
  client: Client,
  path: string,
): Promise<{ ms: number; page: { items: number; nextCursor: string | null } }> {
  const start = performance.now();
  const res = await client.request('GET', path);
  const ms = performance.now() - start;
  expectStatus(res, 200, `GET ${path}`);
  return { ms, page: pageFacts(res.bytes) };
}

const ITEM = Buffer.from('{"id":');
const NEXT = Buffer.from('],"nextCursor":');

/**
 * How many items a page has and its next cursor, read off its JSON: `{"id":` starts an item
 * (in JSON text a quote inside a string is escaped, and no nested object has an id), and the
 * cursor is the value after the items' array, at the end (`{"items":[…],"nextCursor":…}`).
 */
function pageFacts(body: Buffer): { items: number; nextCursor: string | null } {
  let items = 0;
  for (let at = body.indexOf(ITEM); at >= 0; at = body.indexOf(ITEM, at + ITEM.length)) items++;
  const next = body.lastIndexOf(NEXT);
  if (next < 0) throw new Error(`not a page: ${body.toString('utf8', 0, 200)}`);
  const cursor = JSON.parse(body.toString('utf8', next + NEXT.length, body.length - 1)) as
    string | null;
  return { items, nextCursor: cursor };
}

/**
 * Latencies of one store size: walking pages of 100, pages of 100 at random deep cursors and
 * prefix searches, each page request followed by the ceiling, a page of one row at a random deep
 * cursor (socket, auth, routing, one index probe: the fixed cost of any request here), so both
 * meet the same load of a shared machine and their ratio is the cost of the 99 extra rows.
 */
async function measure(
  server: BenchServer,
  dialect: Dialect,
  mailboxes: number,
  sorted: string[],
  random: () => number,
): Promise<Row[]> {
  const size = `${mailboxes / 1000}k`;
  const listPath = (cursor?: string, limit = PAGE) =>
    `/v1/mailboxes?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
  // Keys beyond what the walk covers, encoded the way the API encodes nextCursor.
  const walked = WALK_PAGES * PAGE;
  const deepCursor = () =>
    encodeCursor(sorted[walked + Math.floor(random() * (sorted.length - walked))]!);
  const prefix = () => pick(random, sorted).slice(0, 2 + Math.floor(random() * 5));
  const searchPath = (q: string) => `/v1/mailboxes?q=${encodeURIComponent(q)}&limit=${PAGE}`;
  // One keep-alive connection, opened after the load (a SQLite load holds the event loop past
  // the server's keep-alive timeout). A light client: fetch's per-request cost grows with the
  // body (web streams), which would count against the page of 100 rather than the server.
  const client = keepAliveLanes(server, 1);
  // The ceiling's samples of each phase, taken right after each of its pages: a page's p99 is
  // compared with the one-row pages that met the same stretch of the machine's load.
  const floorWalk: number[] = [];
  const floorDeep: number[] = [];
  const floorSample = async (into: number[]) =>
    into.push((await timedGet(client, listPath(deepCursor(), 1))).ms);

  log(`warming up at ${size}…`);
  for (let i = 0; i < WARMUP; i++) {
    await timedGet(
      client,
      i % 3 === 0 ? listPath(deepCursor()) : i % 3 === 1 ? searchPath(prefix()) : listPath(),
    );
    await timedGet(client, listPath(deepCursor(), 1));
  }

  log(`walking ${WALK_PAGES} pages, ${DEEP_CURSORS} deep cursors, ${PREFIXES} prefix searches…`);
  // Each page of 100 is followed by a page of one, so both meet the same moments of a shared
  // machine; garbage of the set-up is collected first, so neither pays for it.
  collectGarbage();
  const walk: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < WALK_PAGES; i++) {
    const { ms, page } = await timedGet(client, listPath(cursor));
    if (page.items !== PAGE || !page.nextCursor)
      throw new Error(`page ${i + 1} of the walk was short`);
    walk.push(ms);
    cursor = page.nextCursor;
    await floorSample(floorWalk);
  }
  const deep: number[] = [];
  for (let i = 0; i < DEEP_CURSORS; i++) {
    deep.push((await timedGet(client, listPath(deepCursor()))).ms);
    await floorSample(floorDeep);
  }
  const search: number[] = [];
  for (let i = 0; i < PREFIXES; i++) {
    const { ms, page } = await timedGet(client, searchPath(prefix()));
    if (page.items === 0) throw new Error('a prefix of an existing address found nothing');
    search.push(ms);
  }
  client.close();
  // The same pages from the service the route calls, with the route's serializer, without HTTP:
  // what the rows themselves cost (statement, counts, JSON) against one row, the part of the
  // ratio no server work hides.
  const service: number[] = [];
  const serviceFloor: number[] = [];
  const servicePage = async (limit: number) => {
    const start = performance.now();
    await listMailboxesJson(
      server.ctx,
      server.actor,
      { cursor: deepCursor(), limit },
      writeMailboxPage,
    );
    return performance.now() - start;
  };
  for (let i = 0; i < DEEP_CURSORS; i++) {
    service.push(await servicePage(PAGE));
    serviceFloor.push(await servicePage(1));
  }

  const floor = [...floorWalk, ...floorDeep];
  const floorP99 = percentile(floor, 99);
  const latency = (label: string, samples: number[]): Row[] => [
    { benchmark: `${label}, p50`, result: percentile(samples, 50), unit: 'ms' },
    {
      benchmark: `${label}, p99`,
      result: percentile(samples, 99),
      unit: 'ms',
      target: { op: '<', value: P99_TARGET_MS },
    },
  ];
  const ratio = (label: string, samples: number[], ceiling: number[], target?: boolean): Row => ({
    benchmark: `  ${label} p99 ÷ ceiling p99${ceiling === floor ? '' : ' (its own ceiling samples)'}`,
    result: percentile(samples, 99) / percentile(ceiling, 99),
    unit: '×',
    ...(target ? { target: { op: '<', value: RATIO_TARGET } } : {}),
  });
  // The same at the median, for context: what the 99 extra rows cost without the tail's noise.
  const medianRatio = (label: string, samples: number[], ceiling: number[]): Row => ({
    benchmark: `  ${label} p50 ÷ ceiling p50 (its own ceiling samples)`,
    result: percentile(samples, 50) / percentile(ceiling, 50),
    unit: '×',
  });
  return [
    ...latency(`  ${size}: list ?limit=100, walk ${WALK_PAGES} pages`, walk),
    ...latency(`  ${size}: list ?limit=100, ${DEEP_CURSORS} random deep cursors`, deep),
    ...latency(`  ${size}: search ?q=<2–6 char prefix>&limit=100 ×${PREFIXES}`, search),
    {
      benchmark: `  ${size}: ceiling, list ?limit=1 at a deep cursor ×${floor.length} (after each page), p50`,
      result: percentile(floor, 50),
      unit: 'ms',
    },
    {
      benchmark: `  ${size}: ceiling, list ?limit=1 at a deep cursor ×${floor.length} (after each page), p99`,
      result: floorP99,
      unit: 'ms',
    },
    ratio(`${size}: walk`, walk, floorWalk, true),
    ratio(`${size}: deep cursors`, deep, floorDeep, true),
    ratio(`${size}: search`, search, floor),
    medianRatio(`${size}: walk`, walk, floorWalk),
    medianRatio(`${size}: deep cursors`, deep, floorDeep),
    {
      benchmark: `  ${size}: service alone (no HTTP), page of ${PAGE} at a deep cursor ×${DEEP_CURSORS}, p50`,
      result: percentile(service, 50),
      unit: 'ms',
    },
    {
      benchmark: `  ${size}: service alone, page of one after each, p50`,
      result: percentile(serviceFloor, 50),
      unit: 'ms',
    },
    {
      // The rows' own cost as a share of a whole one-row request: at the target, the 99 rows
      // may cost at most 0.3 of the ceiling, HTTP included.
      benchmark: `  ${size}: service alone, (page of ${PAGE} − page of one) ÷ ceiling p50`,
      result: (percentile(service, 50) - percentile(serviceFloor, 50)) / percentile(floor, 50),
      unit: '×',
    },
  ];
}

/**
 * Latency of listing and prefix-searching mailboxes through HTTP with 100,000 and then
 * 1,000,000 mailboxes in the store, on the given database, as a ratio to a one-row page.
 * Sequential requests, so each figure is one request's latency.
 */
export function mailboxList(dialect: Dialect): Suite {
  return {
    name: `mailbox-list (${dialect})`,
    async run(): Promise<Row[]> {
      const random = seededRandom(2024);
      const { ctx, drop } = await freshContext(dialect);
      try {
        const server = await startServer(ctx);
        try {
          const rows: Row[] = [];
          const addresses: string[] = [];
          let loaded = 0;
          for (const size of SIZES) {
            log(
              `loading mailboxes ${loaded.toLocaleString('en-US')} … ${size.toLocaleString('en-US')} into ${dialect}…`,
            );
            const more = await load(server, loaded, size, random);
            // One by one: spreading 900,000 arguments overflows the stack.
            for (const address of more.addresses) addresses.push(address);
            rows.push({
              benchmark: `load mailboxes ${loaded / 1000}k → ${size / 1000}k on ${(size / MAX_MAILBOXES_PER_HOSTNAME).toLocaleString('en-US')} hostnames, ${dialect}`,
              result: more.rowsPerSecond,
              unit: 'rows/s',
            });
            loaded = size;
            // PostgreSQL's autovacuum analyzes a freshly loaded table within about a minute; do
            // it now so the planner sees the steady state rather than the first seconds after
            // a load (and the visibility map lets index-only scans skip the heap).
            if (dialect === 'postgres')
              await sql`vacuum analyze domains, mailboxes, send_counts, mailbox_forwards`.execute(
                ctx.store.db,
              );
            // The load's garbage belongs to the bench, not to a server in production.
            collectGarbage();
            // Byte-wise order, as both databases sort addresses (PostgreSQL columns are COLLATE "C").
            const sorted = [...addresses].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            const middle = sorted[Math.floor(sorted.length / 2)];
            log(
              `page query plan at ${size / 1000}k, deep cursor:\n    ${await explainPage(ctx.store.db, dialect, server.actor.accountId, middle)}`,
            );
            rows.push(...(await measure(server, dialect, size, sorted, random)));
            collectGarbage();
          }
          return rows;
        } finally {
          await server.close();
        }
      } finally {
        await drop();
      }
    },
  };
}
