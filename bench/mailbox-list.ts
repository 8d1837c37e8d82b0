import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { hashPassword } from '../src/core/password-hash.js';
import type { Dialect } from '../src/store/database.js';
import { encodeCursor } from '../src/store/cursor.js';
import type { NewMailboxRow } from '../src/store/schema.js';
import { expectStatus, freshDatabase, log, percentile, pick, seededRandom, startServer, type BenchServer, type Row, type Suite } from './support.js';

const MAILBOXES = 100_000;
const ROWS_PER_INSERT = 500;
const DOMAINS = ['northwind.example', 'contoso.example', 'fabrikam.example', 'initech.example'];
const PAGE = 100;
const WARMUP = 100;
const WALK_PAGES = 200;
const DEEP_CURSORS = 200;
const PREFIXES = 500;
const P99_TARGET_MS = 5;

const FIRST = ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'william', 'elizabeth', 'david', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen', 'christopher', 'nancy', 'daniel', 'lisa', 'matthew', 'betty', 'anthony', 'margaret', 'mark', 'sandra', 'donald', 'ashley', 'steven', 'kimberly', 'paul', 'emily', 'andrew', 'donna', 'joshua', 'michelle', 'kenneth', 'dorothy', 'kevin', 'carol', 'brian', 'amanda', 'george', 'melissa', 'edward', 'deborah', 'ronald', 'stephanie', 'timothy', 'rebecca', 'jason', 'sharon', 'jeffrey', 'laura', 'ryan', 'cynthia'];
const LAST = ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez', 'thompson', 'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores', 'green', 'adams', 'nelson', 'baker', 'hall', 'rivera', 'campbell', 'mitchell', 'carter', 'roberts'];
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

interface Person {
  localPart: string;
  name: string;
}

/** Realistic, deterministic people: josh.smith, jsmith, smith.josh, josh_smith2, … */
function people(count: number, random: () => number): (Person & { domain: string })[] {
  const seen = new Set<string>();
  const out: (Person & { domain: string })[] = [];
  while (out.length < count) {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const domain = pick(random, DOMAINS);
    const shapes = [`${first}.${last}`, `${first}${last}`, `${first[0]}${last}`, `${first}_${last}`, `${last}.${first}`];
    let localPart = pick(random, shapes);
    if (seen.has(`${localPart}@${domain}`)) localPart += String(1 + Math.floor(random() * 9999));
    if (seen.has(`${localPart}@${domain}`)) continue;
    seen.add(`${localPart}@${domain}`);
    out.push({ localPart, name: `${capital(first)} ${capital(last)}`, domain });
  }
  return out;
}

/**
 * Bypasses the API (which would spend ~an hour hashing): batched multi-row inserts in one
 * transaction, every row sharing one precomputed hash of the real format and length.
 */
async function load(server: BenchServer, domainIds: Map<string, string>, random: () => number): Promise<{ addresses: string[]; rowsPerSecond: number }> {
  const passwordHash = await hashPassword('bench-password');
  const now = new Date().toISOString();
  const rows: NewMailboxRow[] = people(MAILBOXES, random).map((p) => ({
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
  const start = performance.now();
  await server.ctx.store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await trx.insertInto('mailboxes').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
    }
  });
  const rowsPerSecond = rows.length / ((performance.now() - start) / 1000);
  // Byte-wise order, as both databases sort addresses (PostgreSQL columns are COLLATE "C").
  const addresses = rows.map((r) => r.address).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { addresses, rowsPerSecond };
}

/** One request, timed from send to the last byte of the body; one in flight at a time. */
async function timedGet(server: BenchServer, path: string): Promise<{ ms: number; page: { items: unknown[]; nextCursor: string | null } }> {
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
      const { store, drop } = await freshDatabase(dialect);
      try {
        const server = await startServer(store);
        try {
          const domainIds = new Map<string, string>();
          for (const name of DOMAINS) {
            await server.verifiedDomain(name);
            const row = await store.db.selectFrom('domains').select('id').where('name', '=', name).executeTakeFirstOrThrow();
            domainIds.set(name, row.id);
          }
          log(`loading ${MAILBOXES.toLocaleString('en-US')} mailboxes into ${dialect}…`);
          const { addresses, rowsPerSecond } = await load(server, domainIds, random);
          // PostgreSQL's autovacuum analyzes a freshly loaded table within about a minute; do it
          // now so the planner sees the steady state rather than the first seconds after a load.
          if (dialect === 'postgres') await sql`analyze`.execute(store.db);

          const listPath = (cursor?: string) => `/v1/mailboxes?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`;
          const deepCursor = () => encodeCursor(addresses[WALK_PAGES * PAGE + Math.floor(random() * (addresses.length - WALK_PAGES * PAGE))]!);
          const prefix = () => pick(random, addresses).slice(0, 2 + Math.floor(random() * 5));
          const searchPath = (q: string) => `/v1/mailboxes?q=${encodeURIComponent(q)}&limit=${PAGE}`;

          log('warming up…');
          for (let i = 0; i < WARMUP; i++) {
            await timedGet(server, i % 3 === 0 ? listPath(deepCursor()) : i % 3 === 1 ? searchPath(prefix()) : listPath());
          }

          log(`walking ${WALK_PAGES} pages, ${DEEP_CURSORS} deep cursors, ${PREFIXES} prefix searches…`);
          const walk: number[] = [];
          let cursor: string | undefined;
          for (let i = 0; i < WALK_PAGES; i++) {
            const { ms, page } = await timedGet(server, listPath(cursor));
            if (page.items.length !== PAGE || !page.nextCursor) throw new Error(`page ${i + 1} of the walk was short`);
            walk.push(ms);
            cursor = page.nextCursor;
          }
          const deep: number[] = [];
          for (let i = 0; i < DEEP_CURSORS; i++) deep.push((await timedGet(server, listPath(deepCursor()))).ms);
          const search: number[] = [];
          for (let i = 0; i < PREFIXES; i++) {
            const { ms, page } = await timedGet(server, searchPath(prefix()));
            if (page.items.length === 0) throw new Error('a prefix of an existing address found nothing');
            search.push(ms);
          }

          const target = { op: '<', value: P99_TARGET_MS } as const;
          const latency = (label: string, samples: number[]): Row[] => [
            { benchmark: `${label}, p50`, result: percentile(samples, 50), unit: 'ms' },
            { benchmark: `${label}, p99`, result: percentile(samples, 99), unit: 'ms', target },
          ];
          return [
            { benchmark: `load 100k mailboxes, ${dialect} (${ROWS_PER_INSERT} rows/insert, 1 tx)`, result: rowsPerSecond, unit: 'rows/s' },
            ...latency(`  list ?limit=100, walk ${WALK_PAGES} pages`, walk),
            ...latency(`  list ?limit=100, ${DEEP_CURSORS} random deep cursors`, deep),
            ...latency(`  search ?q=<2–6 char prefix>&limit=100 ×${PREFIXES}`, search),
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
