import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  addressesOn,
  addSubdomains,
  bulk,
  call,
  parseCsv,
  rowCounts,
  runJobs,
} from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`bulk dry run on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await addSubdomains(h, 'example.com', ['sales']);
    });
    afterAll(() => h.close());

    it('writes nothing and previews exactly the addresses the real request then creates', async () => {
      // One address is taken already, so the preview has to skip it just as the real request does.
      const single = await call(h, 'POST', '/v1/mailboxes', {
        body: {
          mode: 'single',
          name: 'Mary Ann Smith',
          localPart: 'mary.smith',
          domain: 'sales.example.com',
          password: { generate: true },
        },
      });
      expect(single.status).toBe(201);
      const body = bulk({
        name: 'Mary Ann Smith',
        domain: 'sales.example.com',
        count: 4,
        quotaMb: 512,
      });

      const before = await rowCounts(h);
      const dry = await call(h, 'POST', '/v1/mailboxes', { body: { ...body, dryRun: true } });
      expect(dry.status).toBe(200);
      expect(dry.body.job).toBeUndefined();
      expect(dry.body.preview.addresses).toEqual([
        'mary@sales.example.com',
        'msmith@sales.example.com',
        'marysmith@sales.example.com',
        'm.smith@sales.example.com',
      ]);
      expect(dry.body.preview.limits).toEqual({
        maxBulkCount: { max: 10, requested: 4 },
        mailboxesPerDomain: { domain: 'sales.example.com', usage: 1, max: 10, after: 5 },
        domainQuotaMb: {
          domain: 'sales.example.com',
          usage: 1024,
          max: 10_240,
          after: 1024 + 4 * 512,
        },
        mailboxesPerHour: { usage: 1, max: 200, after: 5 },
        cooldown: { active: false, retryAt: null, seconds: 300, startsAfterThis: false },
      });
      // Asking twice changes nothing either.
      const again = await call(h, 'POST', '/v1/mailboxes', { body: { ...body, dryRun: true } });
      expect(again.body).toEqual(dry.body);
      expect(await rowCounts(h)).toEqual(before);
      expect(await addressesOn(h, 'sales.example.com')).toEqual(['mary.smith@sales.example.com']);

      const real = await call(h, 'POST', '/v1/mailboxes', { body });
      expect(real.status).toBe(202);
      await runJobs(h);
      expect(await addressesOn(h, 'sales.example.com')).toEqual(
        ['mary.smith@sales.example.com', ...dry.body.preview.addresses].sort(),
      );
      const csv = await call(h, 'GET', `/v1/jobs/${real.body.job.id}/credentials.csv`);
      expect(parseCsv(csv.text).rows.map((r) => r.email)).toEqual(dry.body.preview.addresses);
      const listed = await call(h, 'GET', '/v1/mailboxes?domain=sales.example.com&limit=10');
      for (const m of listed.body.items.filter(
        (i: { address: string }) => i.address !== 'mary.smith@sales.example.com',
      )) {
        expect(m.quotaMb).toBe(512);
      }
    });

    it('says when the batch would start a cooldown', async () => {
      const before = await rowCounts(h);
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count: 6, dryRun: true }),
      });
      expect(res.status).toBe(200);
      expect(res.body.preview.limits.cooldown).toEqual({
        active: false,
        retryAt: null,
        seconds: 300,
        startsAfterThis: true,
      });
      expect(res.body.preview.addresses).toHaveLength(6);
      expect(await rowCounts(h)).toEqual(before);
    });

    it('refuses an impossible dry run exactly like the real request, writing nothing', async () => {
      const before = await rowCounts(h);
      const dry = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count: 11, dryRun: true }),
      });
      const real = await call(h, 'POST', '/v1/mailboxes', { body: bulk({ count: 11 }) });
      expect(dry.status).toBe(422);
      expect(dry.body).toEqual(real.body);
      expect(await rowCounts(h)).toEqual(before);
    });
  });
}
