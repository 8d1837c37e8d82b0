import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailboxesHandler } from '../../src/services/jobs/handlers/create-mailboxes-handler.js';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import {
  addressesOn,
  addVerifiedDomain,
  bulk,
  call,
  GENEROUS,
  MINUTE,
  parseCsv,
  runJobs,
  setLimits,
  startClockedHarness,
} from './bulk-support.js';

/** Item statuses of a job, counted. */
async function itemStatuses(h: Harness, jobId: string): Promise<Record<string, number>> {
  const rows = await h.ctx.store.db
    .selectFrom('job_items')
    .select('status')
    .where('job_id', '=', jobId)
    .execute();
  const counts: Record<string, number> = {};
  for (const { status } of rows) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

for (const dialect of DIALECTS) {
  describe(`job cancellation on ${dialect}`, () => {
    let h: Harness;
    let time: Awaited<ReturnType<typeof startClockedHarness>>['time'];
    const job = async (id: string) => (await call(h, 'GET', `/v1/jobs/${id}`)).body;
    const cancel = (id: string, token?: string) =>
      call(h, 'POST', `/v1/jobs/${id}/cancel`, token ? { token } : {});

    beforeAll(async () => {
      ({ h, time } = await startClockedHarness(dialect));
      await setLimits(h, GENEROUS);
    });
    afterAll(() => h.close());

    it('a staged job blocks deleting its domain with a precise 409; cancelled, the domain goes', async () => {
      await addVerifiedDomain(h, { name: 'staged.com' });
      const queued = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'staged.com', count: 3, stages: { size: 1, intervalMinutes: 60 } }),
      });
      expect(queued.status).toBe(202);
      const id: string = queued.body.job.id;

      const blocked = await call(h, 'DELETE', '/v1/domains/staged.com');
      expect(blocked.status).toBe(409);
      expect(blocked.body.code).toBe('domain_in_use');
      expect(blocked.body.detail).toBe(
        `staged.com cannot be deleted yet: 3 mailboxes are still pending in job ${id}. ` +
          `Cancel the job (mailwright jobs cancel ${id}, or POST /v1/jobs/${id}/cancel) or wait until it has finished.`,
      );
      expect(blocked.body.detail).not.toMatch(/mailbox\(es\)/);

      const cancelled = await cancel(id);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        id,
        status: 'cancelled',
        done: 0,
        total: 3,
        nextRunAt: null,
        credentials: 'none',
      });
      expect(cancelled.body.finishedAt).toBe(time.now().toISOString());
      expect(await itemStatuses(h, id)).toEqual({ cancelled: 3 });

      expect((await call(h, 'DELETE', '/v1/domains/staged.com')).status).toBe(204);
      const events = await call(h, 'GET', '/v1/events?limit=5');
      expect(events.body.items).toContainEqual(
        expect.objectContaining({ action: 'job.cancelled', target: id }),
      );
    });

    it('cancels a resting staged job: done stays with its credentials, the rest never runs', async () => {
      await addVerifiedDomain(h, { name: 'waves.com' });
      const queued = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'waves.com', count: 4, stages: { size: 2, intervalMinutes: 30 } }),
      });
      const id: string = queued.body.job.id;
      await runJobs(h);
      expect(await job(id)).toMatchObject({ status: 'running', done: 2 });
      const before = (await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour;

      const cancelled = await cancel(id);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        done: 2,
        nextRunAt: null,
        credentials: 'available',
      });
      // The two never-created mailboxes no longer hold slots.
      expect((await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour).toBe(before - 2);

      time.advance(31 * MINUTE);
      await runJobs(h);
      expect(await addressesOn(h, 'waves.com')).toHaveLength(2);
      expect(await job(id)).toMatchObject({ status: 'cancelled', done: 2 });
      expect(await itemStatuses(h, id)).toEqual({ done: 2, cancelled: 2 });

      const csv = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`);
      expect(csv.status).toBe(200);
      expect(parseCsv(csv.text).rows.map((r) => r.email)).toEqual([
        'josh@waves.com',
        'josh.smith@waves.com',
      ]);
    });

    it('stops a running job at its next batch boundary, and the runner leaves it cancelled', async () => {
      await addVerifiedDomain(h, { name: 'running.com' });
      const queued = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'running.com', count: 6 }),
      });
      const id: string = queued.body.job.id;

      // Batches of 2, and the runner held while it prepares its second batch, so the cancel
      // lands between two batches whatever the machine's speed.
      const { batchSize, prepare } = createMailboxesHandler;
      let reached!: () => void;
      let release!: () => void;
      const atSecondBatch = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      let batches = 0;
      createMailboxesHandler.batchSize = () => 2;
      createMailboxesHandler.prepare = async (ctx, items, job) => {
        if (++batches === 2) {
          reached();
          await released;
        }
        return prepare(ctx, items, job);
      };
      try {
        const running = runJobs(h);
        await atSecondBatch;
        // The first batch commits while the second is being prepared.
        while ((await job(id)).done === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        const cancelled = await cancel(id);
        expect(cancelled.status).toBe(200);
        expect(cancelled.body).toMatchObject({ status: 'cancelled', done: 2 });
        release();
        await running;
      } finally {
        release();
        createMailboxesHandler.batchSize = batchSize;
        createMailboxesHandler.prepare = prepare;
      }

      expect(await job(id)).toMatchObject({ status: 'cancelled', done: 2, failed: 0 });
      expect(await addressesOn(h, 'running.com')).toEqual([
        'josh.smith@running.com',
        'josh@running.com',
      ]);
      expect(await itemStatuses(h, id)).toEqual({ done: 2, cancelled: 4 });
      const csv = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`);
      expect(parseCsv(csv.text).rows).toHaveLength(2);
    });

    it('refuses to cancel a finished job (409 job_finished) and another account’s job (404)', async () => {
      await addVerifiedDomain(h, { name: 'done.com' });
      const queued = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'done.com', count: 1 }),
      });
      const id: string = queued.body.job.id;
      expect((await cancel(id, h.bob.token)).status).toBe(404);
      await runJobs(h);
      const refused = await cancel(id);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('job_finished');
      expect(refused.body.detail).toContain('has already finished (succeeded)');
      expect(await job(id)).toMatchObject({ status: 'succeeded', credentials: 'available' });

      const twice = await cancel(
        (await call(h, 'GET', '/v1/jobs?status=cancelled')).body.items[0].id,
      );
      expect(twice.status).toBe(409);
      expect(twice.body.detail).toContain('has already finished (cancelled)');
    });
  });
}
