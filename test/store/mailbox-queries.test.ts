import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../src/store/accounts.js';
import { MMAP_BYTES, openStore, type Store } from '../../src/store/database.js';
import { insertDomain } from '../../src/store/domains.js';
import {
  insertCompleteMailbox,
  insertMailbox,
  listMailboxes,
  mailboxPageQuery,
} from '../../src/store/mailboxes.js';
import { mailboxPageJsonQuery } from '../../src/store/mailbox-page-json.js';
import { domainCapacity, inAccountLock } from '../../src/store/limits.js';
import { insertMailboxCounted } from '../../src/store/mailbox-creation.js';
import { insertWebhook } from '../../src/store/webhooks.js';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { sendWindows } from '../../src/core/sending.js';

const NOW = '2026-11-25T00:00:00.000Z';
const WINDOWS = sendWindows(new Date(NOW));
const LOCALS = ['a', 'a-b', 'a.b', 'a_b', 'ab', 'abc', 'b', 'zz', 'a9', 'z', 'y'];

for (const dialect of DIALECTS) {
  describe(`mailbox queries on ${dialect}`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let url: string;
    let accountId: string;
    let domainId: string;

    /** A verified root domain `name` of the account; answers its id. */
    const verifiedRoot = async (name: string): Promise<string> => {
      const id = randomUUID();
      await insertDomain(store.db, {
        id,
        account_id: accountId,
        name,
        unicode_name: name,
        kind: 'root',
        parent_id: null,
        status: 'verified',
        verification_token: 't',
        created_at: NOW,
        verified_at: NOW,
      });
      return id;
    };

    beforeAll(async () => {
      ({ store, drop, url } = await freshStore(dialect));
      accountId = (await insertAccount(store.db, 'acme', NOW)).id;
      domainId = await verifiedRoot('example.com');
      for (const local of LOCALS) {
        await insertMailbox(store.db, mailboxRow(local, 1024));
      }
    });
    afterAll(() => drop());

    const mailboxRow = (local: string, quotaMb: number) => ({
      id: randomUUID(),
      account_id: accountId,
      domain_id: domainId,
      local_part: local,
      address: `${local}@example.com`,
      name: 'Josh Smith',
      password_hash: '{ARGON2ID}x',
      quota_mb: quotaMb,
      active: 1,
      created_at: NOW,
      updated_at: NOW,
    });
    /** A row insertMailboxCounted takes: no forwarding, these sending limits, no warm-up. */
    const countedRow = (local: string, quotaMb: number, daily: number, hourly: number) => ({
      ...mailboxRow(local, quotaMb),
      forward_keep_copy: null,
      quota_nearly_full: 0,
      send_daily_limit: daily,
      send_hourly_limit: hourly,
      warmup_start: null,
      warmup_increment: null,
      warmup_max: null,
      warmup_start_date: null,
    });

    it('orders addresses byte-wise, the same on every database', async () => {
      const page = await listMailboxes(store.db, accountId, { limit: 100, windows: WINDOWS });
      const addresses = page.items.map((m) => m.address);
      expect(addresses).toEqual([...addresses].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    });

    it.each(['a', 'a.', 'a-', 'ab', 'z', 'a@', 'nope'])(
      'prefix %s finds exactly the addresses starting with it',
      async (q) => {
        const page = await listMailboxes(store.db, accountId, { q, limit: 100, windows: WINDOWS });
        const expected = LOCALS.map((l) => `${l}@example.com`)
          .filter((a) => a.startsWith(q))
          .sort();
        expect(page.items.map((m) => m.address)).toEqual(expected);
      },
    );

    it('walks every page once with keyset cursors', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listMailboxes(store.db, accountId, {
          cursor,
          limit: 3,
          windows: WINDOWS,
        });
        seen.push(...page.items.map((m) => m.address));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(LOCALS.length);
      expect(new Set(seen).size).toBe(LOCALS.length);
    });

    it.runIf(dialect === 'sqlite')(
      'reads pages through a memory map as large as SQLite allows, as the API opens it',
      async () => {
        const { rows } = await sql<{ mmap_size: number }>`pragma mmap_size`.execute(store.db);
        expect(rows[0]?.mmap_size).toBe(MMAP_BYTES);
      },
    );

    it.each([
      ['a prefix search', { q: 'ab' }],
      ['a prefix search after a cursor', { q: 'a', after: 'a.b@example.com' }],
      ['a plain page after a cursor', { after: 'ab@example.com' }],
    ])('serves %s as an index range scan in address order, not a table scan', async (_, opts) => {
      // Per row, the send counts and forwarding targets are probes of their primary keys.
      const compiled = mailboxPageQuery(store.db, accountId, {
        ...opts,
        limit: 100,
        windows: WINDOWS,
      }).compile();
      const explain = (prefix: string) =>
        CompiledQuery.raw(`${prefix} ${compiled.sql}`, [...compiled.parameters]);
      if (dialect === 'sqlite') {
        const { rows } = await store.db.executeQuery<{ detail: string }>(
          explain('explain query plan'),
        );
        const plan = rows.map((r) => r.detail).join('\n');
        // The index alone serves the page, every column it shows included (migration 026).
        const range =
          /SEARCH mailboxes USING COVERING INDEX mailboxes_account_listing \(account_id=\? AND address>\?( AND address<\?)?\)/;
        expect(plan).toMatch(range);
        const json = mailboxPageJsonQuery(store.db, accountId, {
          ...opts,
          limit: 100,
          windows: WINDOWS,
          now: new Date(NOW),
        }).compile();
        const { rows: jsonPlan } = await store.db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${json.sql}`, [...json.parameters]),
        );
        expect(jsonPlan.map((r) => r.detail).join('\n')).toMatch(range);
        for (const probe of [
          'send_counts USING INDEX sqlite_autoindex_send_counts_1 (mailbox_id=? AND period=? AND window_start=?)',
          'send_counts USING INDEX sqlite_autoindex_send_counts_1 (mailbox_id=? AND period=? AND window_start>?)',
          'mailbox_forwards USING INDEX sqlite_autoindex_mailbox_forwards_1 (mailbox_id=?)',
        ]) {
          expect(plan).toContain(`SEARCH ${probe}`);
        }
        // The only sort is of one mailbox's few forwarding targets, inside string_agg.
        expect(plan).not.toMatch(/SCAN |TEMP B-TREE FOR ORDER BY/);
      } else {
        await store.db.connection().execute(async (conn) => {
          // A tiny table is cheaper to scan; ask what the planner does once it is not.
          await sql`set enable_seqscan = off`.execute(conn);
          const { rows } = await conn.executeQuery<{ 'QUERY PLAN': string }>(explain('explain'));
          await sql`reset enable_seqscan`.execute(conn);
          const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(plan).toMatch(/Index (Only )?Scan using mailboxes_account_listing/);
          expect(plan).toMatch(/Index (Only )?Scan using send_counts_pk on send_counts/);
          expect(plan).toMatch(/Index (Only )?Scan (using|on) mailbox_forwards_pk/);
          expect(plan).not.toMatch(/Sort|Seq Scan/);
        });
      }
    });

    it("reads a creation's hostname, limits and counts in one statement, and nothing of another account's", async () => {
      const since = '2026-11-24T23:00:00.000Z';
      const found = await domainCapacity(store.db, {
        accountId,
        name: 'example.com',
        since,
        address: 'a@example.com',
      });
      expect(found?.domain).toMatchObject({
        id: domainId,
        name: 'example.com',
        status: 'verified',
      });
      expect(found?.domain.effective_mailbox_limit).toBe(DEFAULT_LIMITS.maxMailboxesPerDomain);
      expect(found).toMatchObject({
        mailboxes: LOCALS.length,
        quotaMb: LOCALS.length * 1024,
        createdSince: LOCALS.length,
        holder: 'mailbox',
        limits: DEFAULT_LIMITS,
      });
      expect(
        (
          await domainCapacity(store.db, {
            accountId,
            name: 'example.com',
            since,
            address: 'new@example.com',
          })
        )?.holder,
      ).toBeNull();
      const rival = await insertAccount(store.db, 'rival', NOW);
      expect(
        await domainCapacity(store.db, { accountId: rival.id, name: 'example.com', since }),
      ).toBeUndefined();
    });

    it('writes every column of a complete row with the insert compiled once', async () => {
      const row = {
        id: randomUUID(),
        account_id: accountId,
        domain_id: domainId,
        local_part: 'zzz',
        address: 'zzz@example.com',
        name: 'Josh Smith',
        password_hash: '{ARGON2ID}y',
        quota_mb: 2048,
        active: 1,
        created_at: NOW,
        updated_at: NOW,
        forward_keep_copy: null,
        quota_nearly_full: 0,
        send_daily_limit: 7,
        send_hourly_limit: 3,
        warmup_start: 2,
        warmup_increment: 1,
        warmup_max: 5,
        warmup_start_date: '2026-11-25',
      };
      // Twice, so the second run binds new values into the statement compiled by the first.
      await insertCompleteMailbox(store.db, row);
      const second = { ...row, id: randomUUID(), local_part: 'zzy', address: 'zzy@example.com' };
      await insertCompleteMailbox(store.db, second);
      for (const expected of [row, second]) {
        const stored = await store.db
          .selectFrom('mailboxes')
          .selectAll()
          .where('id', '=', expected.id)
          .executeTakeFirstOrThrow();
        expect(stored).toEqual(expected);
      }
    });

    it("inserts a creation's mailbox and event with the counts as they stood before; a refusal rolls both back", async () => {
      const since = '2026-11-24T23:00:00.000Z';
      const before = await domainCapacity(store.db, { accountId, name: 'example.com', since });
      const creation = (local: string) => ({
        row: countedRow(local, 512, 7, 3),
        event: {
          accountId,
          actor: 'test',
          action: 'mailbox.created',
          target: `${local}@example.com`,
          details: { quotaMb: 512 },
          now: NOW,
        },
        since,
      });
      // An endpoint of another type too, so the outbox must choose by type.
      for (const events of [['mailbox.created'], ['mailbox.deleted']]) {
        await insertWebhook(store.db, {
          account_id: accountId,
          url: 'https://hooks.example.net/',
          events: JSON.stringify(events),
          secret_sealed: 'sealed',
          created_at: NOW,
        });
      }
      const counted = (local: string) =>
        store.db.transaction().execute((trx) => insertMailboxCounted(trx, creation(local)));
      // Twice, so the second run binds new values into the statement prepared by the first.
      expect(await counted('counted1')).toMatchObject({
        mailboxes: before!.mailboxes,
        quotaMb: before!.quotaMb,
        createdSince: before!.createdSince,
        holder: null,
        limits: DEFAULT_LIMITS,
      });
      expect(await counted('counted2')).toMatchObject({
        mailboxes: before!.mailboxes + 1,
        quotaMb: before!.quotaMb + 512,
        createdSince: before!.createdSince + 1,
      });
      await expect(
        store.db.transaction().execute(async (trx) => {
          await insertMailboxCounted(trx, creation('refused'));
          throw new Error('refused from the counts');
        }),
      ).rejects.toThrow('refused from the counts');
      const written = async (table: 'mailboxes' | 'events', column: 'address' | 'target') =>
        (
          await store.db
            .selectFrom(table)
            .select(column)
            .where(column, 'in', [
              'counted1@example.com',
              'counted2@example.com',
              'refused@example.com',
            ])
            .orderBy(column)
            .execute()
        ).map((r) => (r as Record<string, string>)[column]);
      expect(await written('mailboxes', 'address')).toEqual([
        'counted1@example.com',
        'counted2@example.com',
      ]);
      expect(await written('events', 'target')).toEqual([
        'counted1@example.com',
        'counted2@example.com',
      ]);
      const queued = await store.db
        .selectFrom('webhook_deliveries')
        .select(['event_type', 'payload'])
        .execute();
      expect(queued.map((d) => [d.event_type, JSON.parse(d.payload).data.target]).sort()).toEqual([
        ['mailbox.created', 'counted1@example.com'],
        ['mailbox.created', 'counted2@example.com'],
      ]);
    });

    it('refuses exactly past a limit when 50 locked creations race on as many connections', async () => {
      const raceId = await verifiedRoot('race.example');
      const create = (i: number) =>
        inAccountLock(store.db, accountId, async (trx) => {
          const counts = await insertMailboxCounted(trx, {
            row: {
              ...countedRow(`r${i}`, 1, 7, 7),
              domain_id: raceId,
              address: `r${i}@race.example`,
            },
            event: {
              accountId,
              actor: 'test',
              action: 'test.race',
              target: `r${i}@race.example`,
              now: NOW,
            },
            since: NOW,
          });
          if (counts.mailboxes >= 10) throw new Error('full');
        });
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => create(i)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      const { n } = await store.db
        .selectFrom('mailboxes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('domain_id', '=', raceId)
        .executeTakeFirstOrThrow();
      expect(Number(n)).toBe(10);
    });

    it('holds the account lock for a transaction: a second writer waits for the first, a throw rolls back', async () => {
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = inAccountLock(store.db, accountId, async () => {
        order.push('first locked');
        await held;
        order.push('first done');
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = inAccountLock(store.db, accountId, async () => {
        order.push('second locked');
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(order).toEqual(['first locked']);
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(['first locked', 'first done', 'second locked']);

      const event = {
        account_id: accountId,
        actor: 'test',
        action: 'test.locked',
        target: 'rolled-back',
        details: '{}',
        created_at: NOW,
      };
      await expect(
        inAccountLock(store.db, accountId, async (trx) => {
          await trx.insertInto('events').values(event).execute();
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await inAccountLock(store.db, accountId, (trx) =>
        trx
          .insertInto('events')
          .values({ ...event, target: 'committed' })
          .execute(),
      );
      const targets = await store.db
        .selectFrom('events')
        .select('target')
        .where('action', '=', 'test.locked')
        .execute();
      expect(targets.map((e) => e.target)).toEqual(['committed']);
    });

    it.skipIf(dialect !== 'postgres')(
      'leaves no connection inside a transaction when the lock itself fails',
      async () => {
        // The lock's statement cancelled while it waits, as a lock_timeout would refuse it. Only
        // this account's statements are looked at: other test files share the database.
        const waiting = sql`query like ${`%'${accountId}' for no key update`}`;
        const other = openStore(url);
        try {
          await other.db.transaction().execute(async (trx) => {
            await sql`select id from accounts where id = ${accountId} for update`.execute(trx);
            const cancelled = expect(
              inAccountLock(store.db, accountId, async () => undefined),
            ).rejects.toThrow(/cancel/);
            for (let waited = 0; ; waited++) {
              const { rows } = await sql<{ n: number }>`select
                count(pg_cancel_backend(pid))::int as n from pg_stat_activity
                where wait_event_type = 'Lock' and ${waiting}`.execute(trx);
              if (rows[0]!.n > 0) break;
              if (waited > 100) throw new Error('the lock never waited');
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            await cancelled;
          });
        } finally {
          await other.close();
        }
        const { rows } = await sql<{ open: number }>`select count(*)::int as open
          from pg_stat_activity where state like 'idle in transaction%' and ${waiting}`.execute(
          store.db,
        );
        expect(rows[0]!.open).toBe(0);
        await inAccountLock(store.db, accountId, async () => undefined);
      },
    );

    it('locks the account from its first statement: another connection cannot write in it', async () => {
      // A connection of its own (as the CLI beside the server), so no pool or in-process mutex
      // stands in for the database's lock; it gives up at once instead of waiting, since a
      // SQLite connection waits synchronously and would block this process's transaction.
      const other = openStore(url);
      const write = () =>
        other.db.transaction().execute(async (trx) => {
          if (dialect === 'postgres') await sql`set local lock_timeout = '100ms'`.execute(trx);
          await trx
            .updateTable('accounts')
            .set({ name: sql`name` })
            .where('id', '=', accountId)
            .execute();
        });
      try {
        if (dialect === 'sqlite') await sql`pragma busy_timeout = 0`.execute(other.db);
        await inAccountLock(store.db, accountId, async () => {
          // Nothing written in this transaction yet: only its lock can refuse the other writer.
          await expect(write()).rejects.toThrow(/lock/);
        });
        await write();
      } finally {
        await other.close();
      }
    });
  });
}
