import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import {
  addressesOn,
  bulk,
  call,
  MINUTE,
  parseCsv,
  runJobs,
  setLimits,
  startClockedHarness,
} from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`staged bulk rollout on ${dialect}`, () => {
    let h: Harness;
    let time: Awaited<ReturnType<typeof startClockedHarness>>['time'];
    const job = async (id: string) => (await call(h, 'GET', `/v1/jobs/${id}`)).body;

    beforeAll(async () => {
      ({ h, time } = await startClockedHarness(dialect));
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.alice, 'gone.com');
      await setLimits(h, { cooldownThreshold: 10_000 });
    });
    afterAll(() => h.close());

    it('creates a batch of 6 in stages of 2, 30 minutes apart', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count: 6, stages: { size: 2, intervalMinutes: 30 } }),
      });
      expect(res.status).toBe(202);
      const id: string = res.body.job.id;
      // Every mailbox of the batch holds its slot from the start.
      expect((await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour).toBe(6);

      await runJobs(h);
      expect(await addressesOn(h, 'example.com')).toEqual([
        'josh.smith@example.com',
        'josh@example.com',
      ]);
      const firstWave = await job(id);
      expect(firstWave).toMatchObject({ status: 'running', done: 2, total: 6, finishedAt: null });
      expect(firstWave.nextRunAt).toBe(new Date(time.now().getTime() + 30 * MINUTE).toISOString());
      expect((await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`)).body.code).toBe(
        'job_not_finished',
      );

      // Not before the interval has passed.
      await runJobs(h);
      time.advance(29 * MINUTE);
      await runJobs(h);
      expect((await addressesOn(h, 'example.com')).length).toBe(2);

      time.advance(MINUTE);
      await runJobs(h);
      expect(await addressesOn(h, 'example.com')).toEqual(
        ['josh', 'josh.smith', 'jsmith', 'joshsmith'].map((l) => `${l}@example.com`).sort(),
      );
      const secondWave = await job(id);
      expect(secondWave).toMatchObject({ status: 'running', done: 4 });
      expect(secondWave.nextRunAt).toBe(new Date(time.now().getTime() + 30 * MINUTE).toISOString());

      time.advance(30 * MINUTE);
      await runJobs(h);
      expect((await addressesOn(h, 'example.com')).length).toBe(6);
      const finished = await job(id);
      expect(finished).toMatchObject({
        status: 'succeeded',
        done: 6,
        failed: 0,
        nextRunAt: null,
        credentials: 'available',
      });
      expect(finished.finishedAt).toBe(time.now().toISOString());

      const csv = parseCsv((await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`)).text);
      expect(csv.rows).toHaveLength(6);
    });

    it.each([
      [{ size: 0, intervalMinutes: 30 }, 'stages.size'],
      [{ size: 2, intervalMinutes: 0 }, 'stages.intervalMinutes'],
      [{ size: 2, intervalMinutes: 1441 }, 'stages.intervalMinutes'],
      [{ size: 1.5, intervalMinutes: 30 }, 'stages.size'],
    ])('refuses stages %j with 422 stage_out_of_range on %s', async (stages, field) => {
      const res = await call(h, 'POST', '/v1/mailboxes', { body: bulk({ count: 2, stages }) });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field, code: 'stage_out_of_range' }),
      ]);
    });

    it('drops the planned mailboxes of a domain deleted with cascade between stages, and still finishes', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'gone.com', count: 4, stages: { size: 2, intervalMinutes: 30 } }),
      });
      expect(res.status).toBe(202);
      const id: string = res.body.job.id;
      await runJobs(h);
      expect((await addressesOn(h, 'gone.com')).length).toBe(2);

      const del = await call(h, 'POST', '/v1/domains/bulk-delete', {
        body: { names: ['gone.com'], cascade: true },
      });
      expect(del.status).toBe(202);
      await runJobs(h);
      expect((await call(h, 'GET', '/v1/domains/gone.com')).status).toBe(404);

      time.advance(30 * MINUTE);
      await runJobs(h);
      const finished = await job(id);
      expect(finished).toMatchObject({ status: 'succeeded', done: 2, failed: 2 });
      expect(finished.errors).toEqual([
        expect.objectContaining({ address: 'jsmith@gone.com', code: 'domain_not_found' }),
        expect.objectContaining({ address: 'joshsmith@gone.com', code: 'domain_not_found' }),
      ]);
      // Nothing planned is left to hold the hourly limit.
      const pending = await h.ctx.store.db
        .selectFrom('job_items')
        .select('target')
        .where('status', '=', 'pending')
        .execute();
      expect(pending).toEqual([]);
    });
  });
}
