import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxSchema, pageOf } from '../../src/http/schemas.js';
import { listMailboxes } from '../../src/services/mailboxes/list-mailboxes.js';
import type { Database, NewMailboxRow } from '../../src/store/schema.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

const NOW = new Date('2026-11-25T10:30:20.000Z');
const DAY_MS = 86_400_000;

/** Text as users type it, and what JSON must escape: quotes, backslashes, U+2028, emoji. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('"quoted"', 'back\\slash', 'a/b', 'line\u2028sep', 'Zoë 😀', ''),
);
const limit = fc.integer({ min: 0, max: 100_000 });
const day = fc
  .integer({ min: -4000, max: 4000 })
  .map((d) => new Date(NOW.getTime() + d * DAY_MS).toISOString().slice(0, 10));
const minutesAgo = (m: number) =>
  new Date(Math.floor(NOW.getTime() / 60_000) * 60_000 - m * 60_000).toISOString();

const mailbox = fc.record({
  localPart: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/),
  name: text,
  quotaMb: fc.integer({ min: 1, max: 100_000 }),
  active: fc.constantFrom(0, 1),
  createdAt: fc.integer({ min: -1000, max: 0 }).map((d) => minutesAgo(-d * 1440)),
  daily: limit,
  hourly: limit,
  warmup: fc.option(
    fc.record({
      start: fc.integer({ min: 1, max: 100_000 }),
      increment: limit,
      max: fc.integer({ min: 1, max: 100_000 }),
      startDate: day,
    }),
  ),
  sentToday: fc.option(fc.integer({ min: 1, max: 1_000_000 })),
  sentYesterday: fc.option(fc.integer({ min: 1, max: 1000 })),
  // Minutes inside the rolling hour (0–59 ago) and outside it.
  minutes: fc.uniqueArray(
    fc.record({ ago: fc.integer({ min: 0, max: 70 }), count: fc.integer({ min: 1, max: 500 }) }),
    { maxLength: 4, selector: (m) => m.ago },
  ),
  forwarding: fc.option(
    fc.record({
      keepCopy: fc.constantFrom(0, 1),
      to: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}@[a-z]{1,6}\.example$/), { maxLength: 3 }),
    }),
  ),
});

for (const dialect of DIALECTS) {
  describe(`mailbox pages written by ${dialect}`, () => {
    let h: Harness;
    let domainId: string;

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => NOW });
      await h.verifiedDomain(h.alice, 'example.com');
      ({ id: domainId } = await h.ctx.store.db
        .selectFrom('domains')
        .select('id')
        .where('name', '=', 'example.com')
        .executeTakeFirstOrThrow());
    });
    afterAll(() => h.close());

    it('are byte for byte the serialized views of the same mailboxes, on every page', async () => {
      const db = h.ctx.store.db;
      const zod = serializerCompiler({
        schema: pageOf(MailboxSchema),
        method: 'GET',
        url: '/v1/mailboxes',
      });
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(mailbox, { minLength: 1, maxLength: 8, selector: (m) => m.localPart }),
          fc.integer({ min: 1, max: 3 }),
          async (mailboxes, pageSize) => {
            await db.deleteFrom('send_counts').execute();
            await db.deleteFrom('mailbox_forwards').execute();
            await db.deleteFrom('mailboxes').execute();
            for (const m of mailboxes) await insert(db, domainId, h.alice.actor.accountId, m);
            const queries: { q?: string }[] = [{}, { q: mailboxes[0]!.localPart.slice(0, 1) }];
            for (const query of queries) {
              let cursor: string | undefined;
              do {
                const params = new URLSearchParams({ limit: String(pageSize) });
                if (query.q) params.set('q', query.q);
                if (cursor) params.set('cursor', cursor);
                const res = await h.app.inject({
                  method: 'GET',
                  url: `/v1/mailboxes?${params}`,
                  headers: { authorization: `Bearer ${h.alice.token}` },
                });
                expect(res.statusCode).toBe(200);
                expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
                const views = await listMailboxes(h.ctx, h.alice.actor, {
                  ...query,
                  limit: pageSize,
                  cursor,
                });
                expect(res.body).toBe(zod(views));
                cursor = views.nextCursor ?? undefined;
              } while (cursor);
            }
          },
        ),
        { numRuns: 30 },
      );
    });
  });
}

async function insert(
  db: Harness['ctx']['store']['db'],
  domainId: string,
  accountId: string,
  m: typeof mailbox extends fc.Arbitrary<infer T> ? T : never,
): Promise<void> {
  const id = randomUUID();
  const row: NewMailboxRow = {
    id,
    account_id: accountId,
    domain_id: domainId,
    local_part: m.localPart,
    address: `${m.localPart}@example.com`,
    name: m.name,
    password_hash: 'unused',
    quota_mb: m.quotaMb,
    active: m.active,
    created_at: m.createdAt,
    updated_at: m.createdAt,
    send_daily_limit: m.daily,
    send_hourly_limit: m.hourly,
    warmup_start: m.warmup?.start ?? null,
    warmup_increment: m.warmup?.increment ?? null,
    warmup_max: m.warmup?.max ?? null,
    warmup_start_date: m.warmup?.startDate ?? null,
    forward_keep_copy: m.forwarding?.keepCopy ?? null,
  };
  await db.insertInto('mailboxes').values(row).execute();
  const today = `${NOW.toISOString().slice(0, 10)}T00:00:00.000Z`;
  const counts: Database['send_counts'][] = [
    ...(m.sentToday ? [{ period: 'day' as const, window_start: today, count: m.sentToday }] : []),
    ...(m.sentYesterday
      ? [
          {
            period: 'day' as const,
            window_start: new Date(Date.parse(today) - DAY_MS).toISOString(),
            count: m.sentYesterday,
          },
        ]
      : []),
    ...m.minutes.map(({ ago, count }) => ({
      period: 'minute' as const,
      window_start: minutesAgo(ago),
      count,
    })),
  ].map((c) => ({ mailbox_id: id, ...c }));
  if (counts.length > 0) await db.insertInto('send_counts').values(counts).execute();
  const targets = m.forwarding?.to ?? [];
  if (targets.length > 0) {
    await db
      .insertInto('mailbox_forwards')
      .values(targets.map((target, position) => ({ mailbox_id: id, position, target })))
      .execute();
  }
}
