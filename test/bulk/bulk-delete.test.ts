import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import {
  addressesOn,
  addSubdomains,
  bulk,
  call,
  MINUTE,
  rowCounts,
  runJobs,
  startClockedHarness,
} from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`bulk deletes on ${dialect}`, () => {
    let h: Harness;
    let time: Awaited<ReturnType<typeof startClockedHarness>>['time'];
    const jobIds: Record<string, string> = {};

    beforeAll(async () => {
      ({ h, time } = await startClockedHarness(dialect));
      for (const name of ['gone.com', 'empty.com', 'spare.com', 'keep.com'])
        await h.verifiedDomain(h.alice, name);
      await addSubdomains(h, 'gone.com', ['x']);
      for (const domain of ['gone.com', 'x.gone.com']) {
        expect(
          (await call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain, count: 2 }) })).status,
        ).toBe(202);
        time.advance(MINUTE);
      }
      expect(
        (await call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain: 'keep.com', count: 3 }) }))
          .status,
      ).toBe(202);
      await runJobs(h);
      time.advance(10 * MINUTE);
    });
    afterAll(() => h.close());

    it('refuses more than 10 domains or 100 addresses with 422 naming the cap', async () => {
      const before = await rowCounts(h);
      const domains = await call(h, 'POST', '/v1/domains/bulk-delete', {
        body: { names: Array.from({ length: 11 }, (_, i) => `d${i}.com`) },
      });
      expect(domains.status).toBe(422);
      expect(domains.body.errors).toEqual([
        expect.objectContaining({
          field: 'names',
          message: 'names: Send at most 10 domains per request.',
        }),
      ]);
      const mailboxes = await call(h, 'POST', '/v1/mailboxes/bulk-delete', {
        body: { addresses: Array.from({ length: 101 }, (_, i) => `m${i}@keep.com`) },
      });
      expect(mailboxes.status).toBe(422);
      expect(mailboxes.body.errors).toEqual([
        expect.objectContaining({
          field: 'addresses',
          message: 'addresses: Send at most 100 addresses per request.',
        }),
      ]);
      const none = await call(h, 'POST', '/v1/mailboxes/bulk-delete', { body: { addresses: [] } });
      expect(none.status).toBe(422);
      expect(await rowCounts(h)).toEqual(before);
    });

    it('refuses a domain with sub-domains or mailboxes without cascade: 422 domain_in_use', async () => {
      const before = await rowCounts(h);
      const res = await call(h, 'POST', '/v1/domains/bulk-delete', {
        body: { names: ['gone.com', 'empty.com'] },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'names.0', code: 'domain_in_use' }),
      ]);
      expect(res.body.errors[0].message).toMatch(/1 sub-domain\(s\) and 2 mailbox\(es\)/);
      const unknown = await call(h, 'POST', '/v1/domains/bulk-delete', {
        body: { names: ['nope.com'] },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors).toEqual([
        expect.objectContaining({ field: 'names.0', code: 'domain_not_found' }),
      ]);
      // Another account's domain is simply not found.
      const bob = await call(h, 'POST', '/v1/domains/bulk-delete', {
        body: { names: ['empty.com'] },
        token: h.bob.token,
      });
      expect(bob.status).toBe(422);
      expect(bob.body.errors).toEqual([expect.objectContaining({ code: 'domain_not_found' })]);
      expect(await rowCounts(h)).toEqual(before);
    });

    it('deletes domains with cascade as a job: sub-domains and mailboxes go too (the 422s started no cooldown)', async () => {
      const res = await call(h, 'POST', '/v1/domains/bulk-delete', {
        body: { names: ['gone.com', 'empty.com'], cascade: true },
      });
      expect(res.status).toBe(202);
      expect(res.body.job).toMatchObject({
        kind: 'bulk_delete_domains',
        status: 'queued',
        total: 2,
        credentials: 'none',
      });
      jobIds.domains = res.body.job.id;
      await runJobs(h);

      expect((await call(h, 'GET', `/v1/jobs/${jobIds.domains}`)).body).toMatchObject({
        status: 'succeeded',
        done: 2,
        failed: 0,
      });
      for (const name of ['gone.com', 'x.gone.com', 'empty.com']) {
        expect((await call(h, 'GET', `/v1/domains/${name}`)).status).toBe(404);
      }
      expect((await call(h, 'GET', '/v1/mailboxes/josh@x.gone.com')).status).toBe(404);
      const left = await h.ctx.store.db
        .selectFrom('mailboxes')
        .select('address')
        .where('address', 'like', '%gone.com')
        .execute();
      expect(left).toEqual([]);
      expect((await call(h, 'GET', '/v1/domains/keep.com')).body.mailboxCount).toBe(3);
    });

    it('allows one accepted domain delete per 5 minutes: the next is 429 with Retry-After', async () => {
      const res = await call(h, 'POST', '/v1/domains/bulk-delete', {
        body: { names: ['spare.com'] },
      });
      expect(res.status).toBe(429);
      expect(res.body.code).toBe('cooldown_active');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.body.retryAt).toBe(
        (await call(h, 'GET', '/v1/limits')).body.cooldowns.bulkDeleteDomains.retryAt,
      );
      // Validation still comes first during the cooldown, and starts nothing either.
      expect(
        (await call(h, 'POST', '/v1/domains/bulk-delete', { body: { names: ['keep.com'] } }))
          .status,
      ).toBe(422);
    });

    it('deletes mailboxes as a job, a separate kind with its own cooldown', async () => {
      const bad = await call(h, 'POST', '/v1/mailboxes/bulk-delete', {
        body: { addresses: ['josh@keep.com', 'nobody@keep.com', 'josh@keep.com'] },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors).toEqual([
        expect.objectContaining({ field: 'addresses.1', code: 'mailbox_not_found' }),
        expect.objectContaining({ field: 'addresses.2', code: 'duplicate' }),
      ]);

      const res = await call(h, 'POST', '/v1/mailboxes/bulk-delete', {
        body: { addresses: ['josh@keep.com', 'JOSH.SMITH@keep.com'] },
      });
      expect(res.status).toBe(202);
      expect(res.body.job).toMatchObject({ kind: 'bulk_delete_mailboxes', total: 2 });
      jobIds.mailboxes = res.body.job.id;
      await runJobs(h);
      expect((await call(h, 'GET', `/v1/jobs/${jobIds.mailboxes}`)).body).toMatchObject({
        status: 'succeeded',
        done: 2,
        failed: 0,
      });
      expect(await addressesOn(h, 'keep.com')).toEqual(['jsmith@keep.com']);

      const next = await call(h, 'POST', '/v1/mailboxes/bulk-delete', {
        body: { addresses: ['jsmith@keep.com'] },
      });
      expect(next.status).toBe(429);
      expect(next.body.code).toBe('cooldown_active');
      expect(next.headers['retry-after']).toBeDefined();
      const limits = (await call(h, 'GET', '/v1/limits')).body.cooldowns;
      expect(limits.bulkDeleteMailboxes).toMatchObject({ active: true, seconds: 300 });
      expect(limits.bulkDeleteDomains).toMatchObject({ active: true, seconds: 300 });
    });

    it('accepts the next delete of each kind 5 minutes after the last accepted one', async () => {
      time.advance(5 * MINUTE);
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes/bulk-delete', {
            body: { addresses: ['jsmith@keep.com'] },
          })
        ).status,
      ).toBe(202);
      expect(
        (await call(h, 'POST', '/v1/domains/bulk-delete', { body: { names: ['spare.com'] } }))
          .status,
      ).toBe(202);
      await runJobs(h);
      expect(await addressesOn(h, 'keep.com')).toEqual([]);
      expect((await call(h, 'GET', '/v1/domains/spare.com')).status).toBe(404);
    });

    it('lists the finished delete jobs with GET /v1/jobs?status=succeeded, to their own account only', async () => {
      const res = await call(h, 'GET', '/v1/jobs?status=succeeded&limit=100');
      expect(res.status).toBe(200);
      const listed = res.body.items as { id: string; kind: string; status: string }[];
      expect(listed.every((j) => j.status === 'succeeded')).toBe(true);
      expect(listed).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: jobIds.domains, kind: 'bulk_delete_domains' }),
          expect.objectContaining({ id: jobIds.mailboxes, kind: 'bulk_delete_mailboxes' }),
        ]),
      );
      // Newest first.
      const created = listed.map((j) => (j as unknown as { createdAt: string }).createdAt);
      expect([...created].sort().reverse()).toEqual(created);
      expect((await call(h, 'GET', '/v1/jobs?status=queued')).body.items).toEqual([]);

      expect(
        (await call(h, 'GET', `/v1/jobs/${jobIds.domains}`, { token: h.bob.token })).status,
      ).toBe(404);
      expect(
        (await call(h, 'GET', `/v1/jobs/${jobIds.mailboxes}`, { token: h.bob.token })).body.code,
      ).toBe('job_not_found');
      expect((await call(h, 'GET', '/v1/jobs', { token: h.bob.token })).body.items).toEqual([]);
    });
  });
}
