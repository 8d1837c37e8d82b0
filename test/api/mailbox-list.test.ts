import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxSchema, pageOf } from '../../src/http/schemas.js';
import type { SendCountTable } from '../../src/store/schema.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`mailbox list on ${dialect}`, () => {
    let h: Harness;
    const now = new Date('2026-11-25T10:30:20.000Z');

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => now });
      await h.verifiedDomain(h.alice, 'example.com');
      for (const [localPart, extra] of [
        ['plain', {}],
        ['sender', { sending: { warmup: { start: 5, increment: 2, max: 30 } } }],
        ['forwarder', {}],
        ['copier', {}],
      ] as const) {
        const res = await h.request('POST', '/v1/mailboxes', {
          body: singleMailbox({ localPart, ...extra }),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      for (const [address, forwarding] of [
        [
          'forwarder@example.com',
          { to: ['z@partner.example', 'a@partner.example'], keepCopy: false },
        ],
        ['copier@example.com', { to: ['plain@example.com'] }],
      ] as const) {
        const res = await h.request('PATCH', `/v1/mailboxes/${address}`, { body: { forwarding } });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      // What the mail plane's policy service counts: today's and yesterday's day rows, and
      // minutes inside and outside the rolling hour that ends now.
      const { id } = await h.ctx.store.db
        .selectFrom('mailboxes')
        .select('id')
        .where('address', '=', 'sender@example.com')
        .executeTakeFirstOrThrow();
      const counts: Omit<SendCountTable, 'mailbox_id'>[] = [
        { period: 'day', window_start: '2026-11-25T00:00:00.000Z', count: 7 },
        { period: 'day', window_start: '2026-11-24T00:00:00.000Z', count: 99 },
        { period: 'minute', window_start: '2026-11-25T10:30:00.000Z', count: 2 },
        { period: 'minute', window_start: '2026-11-25T09:31:00.000Z', count: 3 },
        { period: 'minute', window_start: '2026-11-25T09:30:00.000Z', count: 50 },
      ];
      await h.ctx.store.db
        .insertInto('send_counts')
        .values(counts.map((row) => ({ mailbox_id: id, ...row })))
        .execute();
    });
    afterAll(() => h.close());

    it('shows each mailbox as GET shows it: sent today and in the rolling hour, forwards in order', async () => {
      const list = await h.request('GET', '/v1/mailboxes?domain=example.com');
      expect(list.status).toBe(200);
      const items = list.body.items as { address: string }[];
      expect(items.map((m) => m.address)).toEqual([
        'copier@example.com',
        'forwarder@example.com',
        'plain@example.com',
        'sender@example.com',
      ]);
      for (const item of items) {
        const { usedMb: _, ...shown } = (await h.request('GET', `/v1/mailboxes/${item.address}`))
          .body;
        expect(item).toEqual(shown);
      }
      const by = Object.fromEntries(
        list.body.items.map((m: { address: string }) => [m.address, m]),
      );
      expect(by['sender@example.com'].sending).toMatchObject({
        sentToday: 7,
        sentThisHour: 5,
        limitToday: 5,
        rampDay: 0,
      });
      expect(by['plain@example.com'].sending).toMatchObject({ sentToday: 0, sentThisHour: 0 });
      expect(by['forwarder@example.com'].forwarding).toEqual({
        to: ['z@partner.example', 'a@partner.example'],
        keepCopy: false,
      });
      expect(by['copier@example.com'].forwarding).toEqual({
        to: ['plain@example.com'],
        keepCopy: true,
      });
      expect(by['plain@example.com'].forwarding).toBeNull();
    });

    it('writes a page byte for byte as the schema serializer of every other route would', async () => {
      for (const url of ['/v1/mailboxes', '/v1/mailboxes?limit=1', '/v1/mailboxes?q=zzz']) {
        const res = await h.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${h.alice.token}` },
        });
        expect(res.statusCode).toBe(200);
        const zod = serializerCompiler({ schema: pageOf(MailboxSchema), method: 'GET', url });
        expect(res.body).toBe(zod(JSON.parse(res.body)));
      }
    });
  });
}
