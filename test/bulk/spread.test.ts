import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  addressesOn,
  addVerifiedDomain,
  call,
  GENEROUS,
  parseCsv,
  rowCounts,
  runJobs,
  setLimits,
} from './bulk-support.js';

const spread = (overrides: Record<string, unknown> = {}) => ({
  mode: 'spread',
  domains: ['a.com', 'b.com', 'c.com'],
  personas: [{ name: 'Josh Smith' }, { name: 'Mary Jones' }, { name: 'Tom Brown' }],
  perDomain: 2,
  password: { generate: true },
  quotaMb: 100,
  ...overrides,
});

for (const dialect of DIALECTS) {
  describe(`spread over domains on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      for (const name of ['a.com', 'b.com', 'c.com', 'd.com']) {
        await addVerifiedDomain(h, { name, mailboxLimit: 5 });
      }
      await addVerifiedDomain(h, { name: 'race.com', mailboxLimit: 10 });
      await setLimits(h, GENEROUS);
    });
    afterAll(() => h.close());

    it('previews the exact addresses per domain (personas walked in order, wrapping) and the limits, writing nothing', async () => {
      // josh@b.com is taken, so Josh gets his next candidate there.
      const single = await call(h, 'POST', '/v1/mailboxes', {
        body: {
          mode: 'single',
          name: 'Josh Smith',
          localPart: 'josh',
          domain: 'b.com',
          password: { generate: true },
          quotaMb: 100,
        },
      });
      expect(single.status).toBe(201);
      const before = await rowCounts(h);
      const dry = await call(h, 'POST', '/v1/mailboxes', { body: spread({ dryRun: true }) });
      expect(dry.status).toBe(200);
      expect(dry.body.preview.domains).toEqual([
        {
          domain: 'a.com',
          addresses: ['josh@a.com', 'mary@a.com'],
          mailboxesPerDomain: { domain: 'a.com', usage: 0, max: 5, after: 2 },
          domainQuotaMb: { domain: 'a.com', usage: 0, max: 10_240, after: 200 },
        },
        {
          domain: 'b.com',
          addresses: ['tom@b.com', 'josh.smith@b.com'],
          mailboxesPerDomain: { domain: 'b.com', usage: 1, max: 5, after: 3 },
          domainQuotaMb: { domain: 'b.com', usage: 100, max: 10_240, after: 300 },
        },
        {
          domain: 'c.com',
          addresses: ['mary@c.com', 'tom@c.com'],
          mailboxesPerDomain: { domain: 'c.com', usage: 0, max: 5, after: 2 },
          domainQuotaMb: { domain: 'c.com', usage: 0, max: 10_240, after: 200 },
        },
      ]);
      expect(dry.body.preview.addresses).toEqual(
        dry.body.preview.domains.flatMap((d: { addresses: string[] }) => d.addresses),
      );
      expect(dry.body.preview.limits).toEqual({
        maxBulkCount: { max: 100, requested: 6 },
        mailboxesPerHour: { usage: 1, max: 100_000, after: 7 },
        cooldown: { active: false, retryAt: null, seconds: 300, startsAfterThis: false },
      });
      expect(await rowCounts(h)).toEqual(before);
    });

    it('creates a 3×4 spread as one job with one credentials CSV', async () => {
      const personas = [{ name: 'Anna Berg' }, { name: 'Karl Olsen' }, { name: 'Lisa Holm' }];
      const body = spread({
        domains: ['a.com', 'b.com', 'c.com', 'd.com'],
        personas,
        perDomain: 3,
      });
      const dry = await call(h, 'POST', '/v1/mailboxes', { body: { ...body, dryRun: true } });
      const jobsBefore = (await rowCounts(h)).jobs;
      const res = await call(h, 'POST', '/v1/mailboxes', { body });
      expect(res.status).toBe(202);
      expect(res.body.job).toMatchObject({ kind: 'bulk_mailboxes', total: 12 });
      expect((await rowCounts(h)).jobs).toBe(jobsBefore + 1);
      await runJobs(h);
      const job = await call(h, 'GET', `/v1/jobs/${res.body.job.id}`);
      expect(job.body).toMatchObject({ status: 'succeeded', done: 12, failed: 0 });
      for (const d of ['a.com', 'b.com', 'c.com', 'd.com']) {
        for (const local of ['anna', 'karl', 'lisa']) {
          expect(await addressesOn(h, d)).toContain(`${local}@${d}`);
        }
      }
      const csv = await call(h, 'GET', `/v1/jobs/${res.body.job.id}/credentials.csv`);
      expect(csv.status).toBe(200);
      const rows = parseCsv(csv.text).rows;
      expect(rows.map((r) => r.email)).toEqual(dry.body.preview.addresses);
      expect(rows.filter((r) => r.email?.endsWith('@d.com')).map((r) => r.name)).toEqual([
        'Anna Berg',
        'Karl Olsen',
        'Lisa Holm',
      ]);
      expect(new Set(rows.map((r) => r.password)).size).toBe(12);
    });

    it('refuses a spread over one hostname’s slots with 422 naming the hostname’s limit, writing nothing', async () => {
      // d.com holds 3 of its 5 slots now; three more do not fit.
      const before = await rowCounts(h);
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: spread({
          domains: ['race.com', 'd.com'],
          personas: [{ name: 'Ole Dahl' }, { name: 'Per Lund' }, { name: 'Siv Moe' }],
          perDomain: 3,
        }),
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'limit_exceeded',
        limit: 'mailboxLimit',
        usage: 3,
        max: 5,
        requested: 3,
      });
      expect(res.body.detail).toContain('d.com');
      expect(await rowCounts(h)).toEqual(before);
    });

    it('counts the whole spread against maxBulkCount and the hour', async () => {
      await setLimits(h, { maxBulkCount: 3 });
      const before = await rowCounts(h);
      const body = spread({ domains: ['race.com', 'a.com'], perDomain: 2 });
      const bulkCount = await call(h, 'POST', '/v1/mailboxes', { body });
      expect(bulkCount.status).toBe(422);
      expect(bulkCount.body).toMatchObject({ limit: 'maxBulkCount', requested: 4, max: 3 });
      await setLimits(h, { maxBulkCount: 100 });
      const used: number = (await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour;
      await setLimits(h, { maxMailboxesPerHour: used + 3 });
      const beforeHourly = await rowCounts(h);
      const hourly = await call(h, 'POST', '/v1/mailboxes', { body });
      expect(hourly.status).toBe(422);
      expect(hourly.body).toMatchObject({ limit: 'maxMailboxesPerHour', requested: 4 });
      expect(await rowCounts(h)).toEqual(beforeHourly);
      expect(before.mailboxes).toBe(beforeHourly.mailboxes);
      await setLimits(h, { maxMailboxesPerHour: GENEROUS.maxMailboxesPerHour });
    });

    it('replays an Idempotency-Key and obeys the bulk cooldown', async () => {
      const body = spread({
        domains: ['race.com'],
        personas: [{ name: 'Eva Lind' }, { name: 'Jan Ek' }],
        perDomain: 2,
      });
      const headers = { 'idempotency-key': 'spread-1' };
      const first = await call(h, 'POST', '/v1/mailboxes', { body, headers });
      expect(first.status).toBe(202);
      const again = await call(h, 'POST', '/v1/mailboxes', { body, headers });
      expect(again.status).toBe(200);
      expect(again.body.job.id).toBe(first.body.job.id);
      // Earlier batches of more than one mailbox now start a cooldown, this spread's included.
      await setLimits(h, { cooldownThreshold: 1 });
      const before = await rowCounts(h);
      const next = await call(h, 'POST', '/v1/mailboxes', {
        body: { ...body, personas: [{ name: 'Ida Sund' }, { name: 'Ola Vik' }] },
      });
      expect(next.status).toBe(429);
      expect(next.body).toMatchObject({ code: 'cooldown_active' });
      expect(await rowCounts(h)).toEqual(before);
      const dry = await call(h, 'POST', '/v1/mailboxes', { body: { ...body, dryRun: true } });
      expect(dry.body.preview.limits.cooldown.active).toBe(true);
      await setLimits(h, { cooldownThreshold: GENEROUS.cooldownThreshold });
      await runJobs(h);
    });

    it('refuses perDomain above the number of personas and a domain listed twice', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: spread({ domains: ['a.com', 'a.com'], perDomain: 4 }),
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'domains.1',
        'perDomain',
      ]);
    });
  });
}
