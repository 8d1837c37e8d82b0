import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  addSubdomains,
  addVerifiedDomain,
  bulk,
  call,
  type Reply,
  rowCounts,
  runJobs,
  setLimits,
} from './bulk-support.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`bulk limits on ${dialect}`, () => {
    let h: Harness;

    /** Runs `request` and checks it was refused with the named limit, writing nothing. */
    async function refusedByLimit(
      request: () => Promise<Reply>,
      expected: { code?: string; limit: string; usage: number; max: number },
    ): Promise<Reply> {
      const before = await rowCounts(h);
      const res = await request();
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: expected.code ?? 'limit_exceeded',
        limit: expected.limit,
        usage: expected.usage,
        max: expected.max,
      });
      expect(res.body.detail).toContain(expected.limit);
      expect(await rowCounts(h)).toEqual(before);
      return res;
    }

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await addSubdomains(h, 'example.com', ['one', 'two', 'hour']);
      // Only the limit under test may bite: no cooldown between the requests of this file.
      await setLimits(h, { cooldownThreshold: 10_000 });
    });
    afterAll(() => h.close());

    it('shows the platform defaults in GET /v1/limits', async () => {
      const res = await call(h, 'GET', '/v1/limits');
      expect(res.status).toBe(200);
      expect(res.body.limits).toEqual({ ...DEFAULT_LIMITS, cooldownThreshold: 10_000 });
      expect(res.body.usage).toEqual({ domains: 1, mailboxesLastHour: 0 });
    });

    it('refuses a batch above maxBulkCount, and a raised limit applies to the next request and shows in GET /v1/limits', async () => {
      await setLimits(h, { maxBulkCount: 3 });
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain: 'one.example.com', count: 4 }) }),
        {
          limit: 'maxBulkCount',
          usage: 0,
          max: 3,
        },
      );
      // A dry run answers the same way.
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'one.example.com', count: 4, dryRun: true }),
          }),
        { limit: 'maxBulkCount', usage: 0, max: 3 },
      );

      await setLimits(h, { maxBulkCount: 4 });
      expect((await call(h, 'GET', '/v1/limits')).body.limits.maxBulkCount).toBe(4);
      const accepted = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'one.example.com', count: 4 }),
      });
      expect(accepted.status).toBe(202);
      expect(accepted.body.job.total).toBe(4);

      // Lowered again: refused at once; null restores the default.
      await setLimits(h, { maxBulkCount: 1 });
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain: 'one.example.com', count: 2 }) }),
        {
          limit: 'maxBulkCount',
          usage: 0,
          max: 1,
        },
      );
      await setLimits(h, { maxBulkCount: null });
      expect((await call(h, 'GET', '/v1/limits')).body.limits.maxBulkCount).toBe(
        DEFAULT_LIMITS.maxBulkCount,
      );
      await runJobs(h);
    });

    it("refuses a batch past the account's maxMailboxesPerDomain on a hostname without its own mailboxLimit", async () => {
      await setLimits(h, { maxMailboxesPerDomain: 3 });
      expect((await call(h, 'GET', '/v1/domains/two.example.com')).body.mailboxLimit).toBe(3);
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain: 'two.example.com', count: 4 }) }),
        {
          limit: 'maxMailboxesPerDomain',
          usage: 0,
          max: 3,
        },
      );
      await setLimits(h, { maxMailboxesPerDomain: null });
      const preview = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'two.example.com', count: 4, dryRun: true }),
      });
      expect(preview.status).toBe(200);
      expect(preview.body.preview.limits.mailboxesPerDomain).toEqual({
        domain: 'two.example.com',
        usage: 0,
        max: 10,
        after: 4,
      });
    });

    it("refuses a domain's mailboxLimit above maxMailboxesPerDomain", async () => {
      await setLimits(h, { maxMailboxesPerDomain: 5 });
      const res = await call(h, 'POST', '/v1/domains', {
        body: { name: 'toomany.com', mailboxLimit: 6 },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'mailboxLimit', code: 'limit_exceeded' }),
      ]);
      expect((await call(h, 'GET', '/v1/domains/toomany.com')).status).toBe(404);
      await setLimits(h, { maxMailboxesPerDomain: null });
    });

    it('enforces mailbox slots set with POST /v1/domains and PATCH /v1/domains/{name}, in bulk and single mode, counting planned mailboxes', async () => {
      const domain = await addVerifiedDomain(h, { name: 'slots.com', mailboxLimit: 3 });
      expect(domain.mailboxLimit).toBe(3);
      await refusedByLimit(
        () => call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain: 'slots.com', count: 4 }) }),
        {
          limit: 'mailboxLimit',
          usage: 0,
          max: 3,
        },
      );
      expect(
        (await call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain: 'slots.com', count: 2 }) }))
          .status,
      ).toBe(202);
      // The job has not run: its two planned mailboxes already hold slots.
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'slots.com', count: 2, name: 'Mary Jones' }),
          }),
        {
          limit: 'mailboxLimit',
          usage: 2,
          max: 3,
        },
      );
      await runJobs(h);
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: singleMailbox({ domain: 'slots.com', localPart: 'third' }),
          })
        ).status,
      ).toBe(201);
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: singleMailbox({ domain: 'slots.com', localPart: 'fourth' }),
          }),
        {
          limit: 'mailboxLimit',
          usage: 3,
          max: 3,
        },
      );

      const patched = await call(h, 'PATCH', '/v1/domains/slots.com', {
        body: { mailboxLimit: 5 },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.mailboxLimit).toBe(5);
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'slots.com', count: 3, name: 'Mary Jones' }),
          }),
        {
          limit: 'mailboxLimit',
          usage: 3,
          max: 5,
        },
      );
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'slots.com', count: 2, name: 'Mary Jones' }),
          })
        ).status,
      ).toBe(202);
      await runJobs(h);
      expect((await call(h, 'GET', '/v1/domains/slots.com')).body).toMatchObject({
        mailboxLimit: 5,
        mailboxCount: 5,
      });

      // Slots cannot shrink below what is used.
      const shrink = await call(h, 'PATCH', '/v1/domains/slots.com', { body: { mailboxLimit: 4 } });
      expect(shrink.status).toBe(422);
      expect(shrink.body.errors).toEqual([
        expect.objectContaining({ field: 'mailboxLimit', code: 'below_usage' }),
      ]);
    });

    it("refuses a batch past the domain's storage pool with 422 domain_quota_exceeded, in bulk and single mode", async () => {
      await addVerifiedDomain(h, { name: 'pool.com', quotaMb: 2048 });
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'pool.com', count: 3, quotaMb: 1024 }),
          }),
        {
          code: 'domain_quota_exceeded',
          limit: "pool.com's storage pool",
          usage: 0,
          max: 2048,
        },
      );
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: singleMailbox({ domain: 'pool.com', quotaMb: 2000 }),
          })
        ).status,
      ).toBe(201);
      const res = await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: singleMailbox({ domain: 'pool.com', localPart: 'more', quotaMb: 100 }),
          }),
        { code: 'domain_quota_exceeded', limit: "pool.com's storage pool", usage: 2000, max: 2048 },
      );
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'quotaMb', code: 'domain_quota_exceeded' }),
      ]);
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'pool.com', count: 1, quotaMb: 48 }),
          })
        ).status,
      ).toBe(202);

      // A larger pool set with PATCH applies at once.
      expect(
        (await call(h, 'PATCH', '/v1/domains/pool.com', { body: { quotaMb: 3000 } })).status,
      ).toBe(200);
      const preview = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'pool.com', count: 1, quotaMb: 952, dryRun: true }),
      });
      expect(preview.status).toBe(200);
      expect(preview.body.preview.limits.domainQuotaMb).toEqual({
        domain: 'pool.com',
        usage: 2048,
        max: 3000,
        after: 3000,
      });
      await runJobs(h);
    });

    it('refuses a batch past maxMailboxesPerHour', async () => {
      const usage: number = (await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour;
      expect(usage).toBeGreaterThan(0);
      await setLimits(h, { maxMailboxesPerHour: usage + 2 });
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'hour.example.com', count: 3 }),
          }),
        {
          limit: 'maxMailboxesPerHour',
          usage,
          max: usage + 2,
        },
      );
      await setLimits(h, { maxMailboxesPerHour: usage });
      await refusedByLimit(
        () =>
          call(h, 'POST', '/v1/mailboxes', {
            body: singleMailbox({ domain: 'hour.example.com', localPart: 'hourly' }),
          }),
        { limit: 'maxMailboxesPerHour', usage, max: usage },
      );
      await setLimits(h, { maxMailboxesPerHour: usage + 3 });
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'hour.example.com', count: 3 }),
          })
        ).status,
      ).toBe(202);
      expect((await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour).toBe(usage + 3);
      await setLimits(h, { maxMailboxesPerHour: null });
      await runJobs(h);
    });

    it('refuses a root domain past maxDomains', async () => {
      const domains: number = (await call(h, 'GET', '/v1/limits')).body.usage.domains;
      await setLimits(h, { maxDomains: domains });
      await refusedByLimit(
        () => call(h, 'POST', '/v1/domains', { body: { name: 'onemore.com' } }),
        {
          limit: 'maxDomains',
          usage: domains,
          max: domains,
        },
      );
      expect((await call(h, 'GET', '/v1/domains/onemore.com')).status).toBe(404);
      await setLimits(h, { maxDomains: domains + 1 });
      expect((await call(h, 'POST', '/v1/domains', { body: { name: 'onemore.com' } })).status).toBe(
        201,
      );
      await setLimits(h, { maxDomains: null });
    });

    it('rejects each sub-domain label past maxSubdomainsPerDomain with limit_exceeded and creates the others', async () => {
      await addVerifiedDomain(h, { name: 'subs.com' });
      await setLimits(h, { maxSubdomainsPerDomain: 2 });
      const res = await call(h, 'POST', '/v1/domains/subs.com/subdomains', {
        body: { labels: 'a\nb\nc\nd' },
      });
      expect(res.status).toBe(200);
      expect(res.body.created.map((d: { name: string }) => d.name)).toEqual([
        'a.subs.com',
        'b.subs.com',
      ]);
      expect(res.body.rejected).toEqual([
        expect.objectContaining({ label: 'c', code: 'limit_exceeded' }),
        expect.objectContaining({ label: 'd', code: 'limit_exceeded' }),
      ]);
      expect(res.body.rejected[0].message).toMatch(/maxSubdomainsPerDomain is 2/);
      expect((await call(h, 'GET', '/v1/domains/c.subs.com')).status).toBe(404);
      await setLimits(h, { maxSubdomainsPerDomain: 3 });
      const next = await call(h, 'POST', '/v1/domains/subs.com/subdomains', {
        body: { labels: ['c', 'd'] },
      });
      expect(next.body.created.map((d: { name: string }) => d.name)).toEqual(['c.subs.com']);
      expect(next.body.rejected).toEqual([
        expect.objectContaining({ label: 'd', code: 'limit_exceeded' }),
      ]);
      await setLimits(h, { maxSubdomainsPerDomain: null });
    });

    it("never counts another account's usage", async () => {
      const res = await call(h, 'GET', '/v1/limits', { token: h.bob.token });
      expect(res.body.usage).toEqual({ domains: 0, mailboxesLastHour: 0 });
      expect(res.body.limits).toEqual(DEFAULT_LIMITS);
    });
  });
}
