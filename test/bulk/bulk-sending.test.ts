import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import { call, runJobs, startWithBulkMailboxes } from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`setting the sending limits of many mailboxes on ${dialect}`, () => {
    let h: Harness;
    let keep: string[];
    let other: string[];

    const sendingOf = async (address: string) =>
      (await call(h, 'GET', `/v1/mailboxes/${address}`)).body.sending;

    beforeAll(async () => {
      let addresses;
      ({ h, addresses } = await startWithBulkMailboxes(dialect, ['keep.com', 'other.com']));
      keep = addresses['keep.com']!;
      other = addresses['other.com']!;
    });
    afterAll(() => h.close());

    it('previews each mailbox before and after with dryRun, writing nothing', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes/bulk-sending', {
        body: { domain: 'keep.com', sending: { dailyLimit: 25 }, dryRun: true },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.preview.mailboxes).toHaveLength(3);
      expect(res.body.preview.mailboxes[0]).toEqual({
        address: keep[0],
        before: { dailyLimit: 500, hourlyLimit: 100, warmup: null },
        after: { dailyLimit: 25, hourlyLimit: 100, warmup: null },
        changed: true,
      });
      expect((await sendingOf(keep[0]!)).dailyLimit).toBe(500);
    });

    it('sets every mailbox of a hostname as a job, one result each, keeping what is left out', async () => {
      await call(h, 'PATCH', `/v1/mailboxes/${keep[1]}`, { body: { sending: { hourlyLimit: 7 } } });
      const res = await call(h, 'POST', '/v1/mailboxes/bulk-sending', {
        body: {
          domain: 'keep.com',
          sending: { dailyLimit: 30, warmup: { start: 5, increment: 5, max: 30 } },
        },
      });
      expect(res.status, res.text).toBe(202);
      expect(res.body.job).toMatchObject({ kind: 'bulk_set_sending', total: 3 });
      expect(res.body.addresses).toEqual(keep);
      await runJobs(h);
      const job = (await call(h, 'GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({ status: 'succeeded', done: 3, failed: 0 });
      for (const address of keep) {
        expect(await sendingOf(address)).toMatchObject({
          dailyLimit: 30,
          warmup: { start: 5, increment: 5, max: 30 },
          limitToday: 5,
        });
      }
      // Its own hourly limit stays; the other hostname is untouched.
      expect((await sendingOf(keep[1]!)).hourlyLimit).toBe(7);
      expect((await sendingOf(other[0]!)).dailyLimit).toBe(500);
      const events = (await call(h, 'GET', '/v1/events')).body.items.map(
        (e: { action: string; target: string }) => `${e.action} ${e.target}`,
      );
      expect(events).toContain(`mailbox.updated ${keep[0]}`);
      expect(events).toContain('bulk_set_sending.requested 3 mailbox(es)');
    });

    it('sets listed mailboxes across hostnames', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes/bulk-sending', {
        body: { addresses: [other[0], keep[2]], sending: { warmup: null, hourlyLimit: 9 } },
      });
      expect(res.status, res.text).toBe(202);
      await runJobs(h);
      expect(await sendingOf(other[0]!)).toMatchObject({ hourlyLimit: 9, warmup: null });
      expect(await sendingOf(keep[2]!)).toMatchObject({
        dailyLimit: 30,
        hourlyLimit: 9,
        warmup: null,
      });
      expect((await sendingOf(other[1]!)).hourlyLimit).toBe(100);
    });

    it('refuses a bad selection or policy with 422 naming the field, and writes nothing', async () => {
      const jobsBefore = (await call(h, 'GET', '/v1/jobs')).body.items.length;
      const refusals = [
        [{ sending: { dailyLimit: 1 } }, 'addresses', 'required'],
        [{ domain: 'keep.com', addresses: [keep[0]], sending: { dailyLimit: 1 } }, 'addresses'],
        [{ addresses: [keep[0], 'nobody@keep.com'], sending: { dailyLimit: 1 } }, 'addresses.1'],
        [{ addresses: [keep[0], keep[0]], sending: { dailyLimit: 1 } }, 'addresses.1'],
        [{ domain: 'keep.com', sending: {} }, 'sending'],
        [{ domain: 'keep.com', sending: { dailyLimit: -1 } }, 'sending.dailyLimit'],
        [
          { domain: 'keep.com', sending: { warmup: { start: 9, increment: 1, max: 3 } } },
          'sending.warmup.max',
        ],
      ] as const;
      for (const [body, field] of refusals) {
        const res = await call(h, 'POST', '/v1/mailboxes/bulk-sending', { body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      // Another account's hostname is a missing one.
      const theirs = await call(h, 'POST', '/v1/mailboxes/bulk-sending', {
        body: { domain: 'keep.com', sending: { dailyLimit: 1 } },
        token: h.bob.token,
      });
      expect(theirs.status).toBe(404);
      expect((await call(h, 'GET', '/v1/jobs')).body.items.length).toBe(jobsBefore);
      expect((await sendingOf(keep[0]!)).dailyLimit).toBe(30);
    });
  });
}
