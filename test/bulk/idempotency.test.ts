import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import {
  addressesOn,
  bulk,
  call,
  HOUR,
  MINUTE,
  rowCounts,
  runJobs,
  startClockedHarness,
} from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`bulk Idempotency-Key on ${dialect}`, () => {
    let h: Harness;
    let time: Awaited<ReturnType<typeof startClockedHarness>>['time'];
    let firstJob: string;
    const post = (body: unknown, key?: string, token?: string) =>
      call(h, 'POST', '/v1/mailboxes', {
        body,
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
        ...(token ? { token } : {}),
      });
    const jobCount = async () =>
      Number(
        (
          await h.ctx.store.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('account_id', '=', h.alice.actor.accountId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      ({ h, time } = await startClockedHarness(dialect));
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.bob, 'bob.com');
    });
    afterAll(() => h.close());

    it('answers a retry with the same key and body with 200 and the same job, creating no second batch', async () => {
      const first = await post(bulk({ count: 2 }), 'order-1');
      expect(first.status).toBe(202);
      firstJob = first.body.job.id;

      const before = await rowCounts(h);
      const retry = await post(bulk({ count: 2 }), 'order-1');
      expect(retry.status).toBe(200);
      expect(retry.body.job.id).toBe(firstJob);
      expect(await rowCounts(h)).toEqual(before);

      await runJobs(h);
      time.advance(HOUR);
      const afterRun = await post(bulk({ count: 2 }), 'order-1');
      expect(afterRun.status).toBe(200);
      expect(afterRun.body.job).toMatchObject({ id: firstJob, status: 'succeeded', done: 2 });
      await runJobs(h);
      expect(await addressesOn(h, 'example.com')).toEqual([
        'josh.smith@example.com',
        'josh@example.com',
      ]);
      expect(await jobCount()).toBe(1);
    });

    it('refuses the same key with a different body with 422 idempotency_key_reused, writing nothing', async () => {
      const before = await rowCounts(h);
      for (const body of [
        bulk({ count: 3 }),
        bulk({ count: 2, name: 'Mary Jones' }),
        bulk({ count: 2, password: { generate: false, value: 'Vivid-Otter-Quilt-93' } }),
      ]) {
        const res = await post(body, 'order-1');
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('idempotency_key_reused');
        expect(res.body.errors).toEqual([
          expect.objectContaining({ field: 'Idempotency-Key', code: 'idempotency_key_reused' }),
        ]);
      }
      expect(await rowCounts(h)).toEqual(before);
    });

    it('keeps keys per account: another account may use the same key', async () => {
      const res = await post(bulk({ count: 1, domain: 'bob.com' }), 'order-1', h.bob.token);
      expect(res.status).toBe(202);
      expect(res.body.job.id).not.toBe(firstJob);
    });

    it('lets a key name a new job once its 24 hours have passed', async () => {
      // The first request was made 1 h ago; 22 h 59 min later it is still inside the window.
      time.advance(22 * HOUR + 59 * MINUTE);
      expect((await post(bulk({ count: 1, name: 'Mary Jones' }), 'order-1')).status).toBe(422);

      time.advance(2 * MINUTE);
      const reused = await post(bulk({ count: 1, name: 'Mary Jones' }), 'order-1');
      expect(reused.status).toBe(202);
      expect(reused.body.job.id).not.toBe(firstJob);
      expect(await jobCount()).toBe(2);

      // From now on the key names the new job.
      const retry = await post(bulk({ count: 1, name: 'Mary Jones' }), 'order-1');
      expect(retry.status).toBe(200);
      expect(retry.body.job.id).toBe(reused.body.job.id);
      await runJobs(h);
      expect(await addressesOn(h, 'example.com')).toEqual([
        'josh.smith@example.com',
        'josh@example.com',
        'mary@example.com',
      ]);
      // The old job is still there, its key released.
      expect((await call(h, 'GET', `/v1/jobs/${firstJob}`)).status).toBe(200);
    });

    it('answers two simultaneous requests with the same key with one job', async () => {
      const body = bulk({ count: 1, name: 'Carl Dahl' });
      const replies = await Promise.all([post(body, 'twice'), post(body, 'twice')]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 202]);
      expect(replies[0]!.body.job.id).toBe(replies[1]!.body.job.id);
      expect(await jobCount()).toBe(3);
    });

    it('ignores the key on a dry run', async () => {
      const res = await post(bulk({ count: 1, name: 'Anna Berg', dryRun: true }), 'order-1');
      expect(res.status).toBe(200);
      expect(res.body.preview.addresses).toEqual(['anna@example.com']);
    });
  });
}
