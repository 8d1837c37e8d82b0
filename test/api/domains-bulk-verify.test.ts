import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

/** Many domains verified in one job, each looked up through a real DNS server on loopback. */
for (const dialect of DIALECTS) {
  describe(`bulk verification on ${dialect}`, () => {
    let h: Harness;
    const runJobs = () => new JobRunner(h.ctx).runPending();
    const publishTxt = async (name: string) => {
      const domain = (await h.request('GET', `/v1/domains/${name}`)).body;
      h.dns.setTxt(domain.verification.host, [domain.verification.value]);
    };

    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(() => h.close());

    it('verifies the listed domains as a job with a result per domain', async () => {
      const names = Array.from({ length: 12 }, (_, i) => `fleet${i}.com`);
      const added = await h.request('POST', '/v1/domains/batch', { body: { names } });
      expect(added.body.created, JSON.stringify(added.body)).toHaveLength(12);
      // Two have no TXT record yet: their own result, not the job's failure.
      for (const name of names.slice(2)) await publishTxt(name);

      const res = await h.request('POST', '/v1/domains/verify', { body: { names } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.domains).toEqual(names);
      expect(res.body.job).toMatchObject({ kind: 'verify_domains', total: 12, status: 'queued' });
      await runJobs();

      const job = (await h.request('GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({ status: 'succeeded', done: 10, failed: 2 });
      expect(job.errors.map((e: { address: string }) => e.address).sort()).toEqual([
        'fleet0.com',
        'fleet1.com',
      ]);
      expect(job.errors[0].code).toBe('verification_failed');
      expect(job.errors[0].message).toContain('_mailwright.');
      for (const name of names) {
        const status = (await h.request('GET', `/v1/domains/${name}`)).body.status;
        expect(status, name).toBe(names.indexOf(name) < 2 ? 'pending' : 'verified');
      }
    });

    it('verifies every pending domain with pending: true, and says when none is left', async () => {
      await publishTxt('fleet0.com');
      await publishTxt('fleet1.com');
      const res = await h.request('POST', '/v1/domains/verify', { body: { pending: true } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.domains).toEqual(['fleet0.com', 'fleet1.com']);
      await runJobs();
      const job = (await h.request('GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({ status: 'succeeded', done: 2, failed: 0 });

      const none = await h.request('POST', '/v1/domains/verify', { body: { pending: true } });
      expect(none.status).toBe(409);
      expect(none.body.code).toBe('nothing_pending');
    });

    it('refuses an unknown or repeated name, or no selection, before queueing anything', async () => {
      const bad = await h.request('POST', '/v1/domains/verify', {
        body: { names: ['fleet2.com', 'nowhere.com', 'fleet2.com'] },
      });
      expect(bad.status).toBe(422);
      expect(
        bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]),
      ).toEqual([
        ['names.1', 'domain_not_found'],
        ['names.2', 'duplicate'],
      ]);
      const neither = await h.request('POST', '/v1/domains/verify', { body: {} });
      expect(neither.status).toBe(422);
      expect(neither.body.errors[0].field).toBe('names');
      const jobs = (await h.request('GET', '/v1/jobs')).body.items;
      expect(jobs).toHaveLength(2);
    });

    it('refuses bulk publishing without a DNS host, naming the setting', async () => {
      const res = await h.request('POST', '/v1/domains/dns/publish', { body: { pending: true } });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('dns_provider_not_configured');
    });
  });
}
