import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { hashPassword } from '../src/core/password-hash.js';
import { DEFAULT_QUOTA_MB } from '../src/core/quota.js';
import type { Dialect } from '../src/store/dialect.js';
import { encodeCursor } from '../src/store/cursor.js';
import type { NewDomainRow, NewMailboxRow } from '../src/store/schema.js';
import {
  collectGarbage,
  MAX_MAILBOXES_PER_HOSTNAME,
  expectStatus,
  freshContext,
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

const MAILBOXES = 100_000;
const ROWS_PER_INSERT = 500;
// 100,000 mailboxes at the platform's cap of 100 per hostname: 50 root domains (the default
// maxDomains) each with 19 sub-domains (of the default 20), i.e. 1,000 full hostnames.
const ROOTS = Array.from(
  { length: 50 },
  (_, k) => `${COMPANIES[k % 10]}${k < 10 ? '' : Math.floor(k / 10)}.example`,
);
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
const PAGE = 100;
const WARMUP = 100;
const WALK_PAGES = 200;
const DEEP_CURSORS = 200;
const PREFIXES = 500;
const FLOOR_SAMPLES = 300;
const P99_TARGET_MS = 5;

/**
 * Bypasses the API (which would spend ~an hour hashing): the hostnames, then batched multi-row
 * inserts of mailboxes in one transaction, every row sharing one precomputed hash of the real
 * format and length.
 */
async function load(
  server: BenchServer,
  random: () => number,
): Promise<{ addresses: string[]; rowsPerSecond: number }> {
  const db = server.ctx.store.db;
  const now = new Date().toISOString();
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
      created_at: now,
      verified_at: now,
      mailbox_limit: MAX_MAILBOXES_PER_HOSTNAME,
      quota_mb: MAX_MAILBOXES_PER_HOSTNAME * DEFAULT_QUOTA_MB,
    };
  };
  await db.transaction().execute(async (trx) => {
    for (const root of ROOTS) {
      const parent = hostname(root, null);
      await trx.insertInto('domains').values(parent).execute();
      await trx
        .insertInto('domains')
        .values(LABELS.map((label) => hostname(`${label}.${root}`, parent.id)))
        .execute();
    }
  });

  const passwordHash = await hashPassword('bench-password');
  const everyone = people([...domainIds.keys()], MAILBOXES / domainIds.size, random);
  const start = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < everyone.length; i += ROWS_PER_INSERT) {
      const rows: NewMailboxRow[] = everyone.slice(i, i + ROWS_PER_INSERT).map((p) => ({
        id: randomUUID(),
        account_id: server.actor.accountId,
        domain_id: domainIds.get(p.domain)!,
        local_part: p.localPart,
        address: `${p.localPart}@${p.domain}`,
        name: p.name,
        password_hash: passwordHash,
        quota_mb: 1024,
        active: 1,
        created_at: now,
        updated_at: now,
      }));
      await trx.insertInto('mailboxes').values(rows).execute();
    }
  });
  const rowsPerSecond = everyone.length / ((performance.now() - start) / 1000);
  // Byte-wise order, as both databases sort addresses (PostgreSQL columns are COLLATE "C").
  const addresses = everyone
    .map((p) => `${p.localPart}@${p.domain}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { addresses, rowsPerSecond };
}

/** One request, timed from send to the last byte of the body; one in flight at a time. */
async function timedGet(
  server: BenchServer,
  path: string,
): Promise<{ ms: number; page: { items: unknown[]; nextCursor: string | null } }> {
  const start = performance.now();
  const res = await server.request('GET', path);
  const ms = performance.now() - start;
  expectStatus(res, 200, `GET ${path}`);
  return { ms, page: JSON.parse(res.text) as { items: unknown[]; nextCursor: string | null } };
}

/**
 * Latency of listing and prefix-searching mailboxes through HTTP with 100,000 mailboxes in the
 * store, on the given database. Sequential requests, so each figure is one request's latency.
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
          log(
            `loading ${MAILBOXES.toLocaleString('en-US')} mailboxes on 1,000 hostnames into ${dialect}…`,
          );
          const { addresses, rowsPerSecond } = await load(server, random);
          // PostgreSQL's autovacuum analyzes a freshly loaded table within about a minute; do it
          // now so the planner sees the steady state rather than the first seconds after a load.
          if (dialect === 'postgres') await sql`analyze`.execute(ctx.store.db);
          // The load's tens of MB of garbage belong to the bench, not to a server in production.
          collectGarbage();

          const listPath = (cursor?: string, limit = PAGE) =>
            `/v1/mailboxes?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
          // Keys beyond what the walk covers, encoded the way the API encodes nextCursor.
          const walked = WALK_PAGES * PAGE;
          const deepCursor = () =>
            encodeCursor(addresses[walked + Math.floor(random() * (addresses.length - walked))]!);
          const prefix = () => pick(random, addresses).slice(0, 2 + Math.floor(random() * 5));
          const searchPath = (q: string) =>
            `/v1/mailboxes?q=${encodeURIComponent(q)}&limit=${PAGE}`;

          log('warming up…');
          for (let i = 0; i < WARMUP; i++) {
            await timedGet(
              server,
              i % 3 === 0
                ? listPath(deepCursor())
                : i % 3 === 1
                  ? searchPath(prefix())
                  : listPath(),
            );
          }

          log(
            `walking ${WALK_PAGES} pages, ${DEEP_CURSORS} deep cursors, ${PREFIXES} prefix searches…`,
          );
          const walk: number[] = [];
          let cursor: string | undefined;
          for (let i = 0; i < WALK_PAGES; i++) {
            const { ms, page } = await timedGet(server, listPath(cursor));
            if (page.items.length !== PAGE || !page.nextCursor)
              throw new Error(`page ${i + 1} of the walk was short`);
            walk.push(ms);
            cursor = page.nextCursor;
          }
          const deep: number[] = [];
          for (let i = 0; i < DEEP_CURSORS; i++)
            deep.push((await timedGet(server, listPath(deepCursor()))).ms);
          const search: number[] = [];
          for (let i = 0; i < PREFIXES; i++) {
            const { ms, page } = await timedGet(server, searchPath(prefix()));
            if (page.items.length === 0)
              throw new Error('a prefix of an existing address found nothing');
            search.push(ms);
          }
          // Context, no target: the same route returning one row is the floor of any request here
          // (socket, auth, routing, one index probe), so it separates per-row cost from the
          // fixed cost and from the machine's own noise.
          const floor: number[] = [];
          for (let i = 0; i < FLOOR_SAMPLES; i++)
            floor.push((await timedGet(server, listPath(deepCursor(), 1))).ms);

          const target = { op: '<', value: P99_TARGET_MS } as const;
          const latency = (label: string, samples: number[]): Row[] => [
            { benchmark: `${label}, p50`, result: percentile(samples, 50), unit: 'ms' },
            { benchmark: `${label}, p99`, result: percentile(samples, 99), unit: 'ms', target },
          ];
          return [
            {
              benchmark: `load 100k mailboxes on 1,000 hostnames, ${dialect} (${ROWS_PER_INSERT} rows/insert)`,
              result: rowsPerSecond,
              unit: 'rows/s',
            },
            ...latency(`  list ?limit=100, walk ${WALK_PAGES} pages`, walk),
            ...latency(`  list ?limit=100, ${DEEP_CURSORS} random deep cursors`, deep),
            ...latency(`  search ?q=<2–6 char prefix>&limit=100 ×${PREFIXES}`, search),
            {
              benchmark: `  floor: list ?limit=1 ×${FLOOR_SAMPLES}, p50`,
              result: percentile(floor, 50),
              unit: 'ms',
            },
            {
              benchmark: `  floor: list ?limit=1 ×${FLOOR_SAMPLES}, p99`,
              result: percentile(floor, 99),
              unit: 'ms',
            },
          ];
        } finally {
          await server.close();
        }
      } finally {
        await drop();
      }
    },
  };
}
