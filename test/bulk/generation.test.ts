import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  addressesOn,
  addSubdomains,
  bulk,
  call,
  GENEROUS,
  parseCsv,
  rowCounts,
  runJobs,
  setLimits,
} from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`bulk address generation on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await addSubdomains(h, 'example.com', ['sales', 'es', 'skip', 'few']);
      await setLimits(h, GENEROUS);
    });
    afterAll(() => h.close());

    it('creates exactly josh, josh.smith, jsmith, joshsmith, j.smith for a batch of 5 "Josh Smith"', async () => {
      const expected = ['josh', 'josh.smith', 'jsmith', 'joshsmith', 'j.smith'].map(
        (l) => `${l}@sales.example.com`,
      );
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'sales.example.com', count: 5 }),
      });
      expect(res.status).toBe(202);
      expect(res.body.job).toMatchObject({
        kind: 'bulk_mailboxes',
        status: 'queued',
        total: 5,
        done: 0,
        failed: 0,
      });
      await runJobs(h);

      expect(await addressesOn(h, 'sales.example.com')).toEqual([...expected].sort());
      const job = await call(h, 'GET', `/v1/jobs/${res.body.job.id}`);
      expect(job.body).toMatchObject({
        status: 'succeeded',
        total: 5,
        done: 5,
        failed: 0,
        credentials: 'available',
      });
      // The credentials file lists the mailboxes in generation order.
      const csv = await call(h, 'GET', `/v1/jobs/${res.body.job.id}/credentials.csv`);
      expect(parseCsv(csv.text).rows.map((r) => r.email)).toEqual(expected);
      const listed = await call(h, 'GET', '/v1/mailboxes?domain=sales.example.com');
      expect(listed.body.items.map((m: { name: string }) => m.name)).toEqual(
        Array(5).fill('Josh Smith'),
      );
    });

    it('transliterates accented names: "José Núñez" starts with jose@ and jose.nunez@', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ name: 'José Núñez', domain: 'es.example.com', count: 2 }),
      });
      expect(res.status).toBe(202);
      await runJobs(h);
      expect(await addressesOn(h, 'es.example.com')).toEqual([
        'jose.nunez@es.example.com',
        'jose@es.example.com',
      ]);
      const mailbox = await call(h, 'GET', '/v1/mailboxes/jose.nunez@es.example.com');
      expect(mailbox.body.name).toBe('José Núñez');
    });

    it('skips an existing address and picks the next free ones, never a duplicate', async () => {
      const single = await call(h, 'POST', '/v1/mailboxes', {
        body: {
          mode: 'single',
          name: 'Josh Smith',
          localPart: 'josh',
          domain: 'skip.example.com',
          password: { generate: true },
        },
      });
      expect(single.status).toBe(201);

      const first = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'skip.example.com', count: 2, quotaMb: 10 }),
      });
      expect(first.status).toBe(202);
      // Addresses planned by a job that has not run yet are taken too.
      const preview = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'skip.example.com', count: 2, quotaMb: 10, dryRun: true }),
      });
      expect(preview.body.preview.addresses).toEqual([
        'joshsmith@skip.example.com',
        'j.smith@skip.example.com',
      ]);
      const second = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'skip.example.com', count: 2, quotaMb: 10 }),
      });
      expect(second.status).toBe(202);
      await runJobs(h);

      const addresses = await addressesOn(h, 'skip.example.com');
      expect(addresses).toEqual(
        ['josh', 'josh.smith', 'jsmith', 'joshsmith', 'j.smith']
          .map((l) => `${l}@skip.example.com`)
          .sort(),
      );
      expect(new Set(addresses).size).toBe(addresses.length);
      for (const id of [first.body.job.id, second.body.job.id]) {
        expect((await call(h, 'GET', `/v1/jobs/${id}`)).body).toMatchObject({
          status: 'succeeded',
          done: 2,
          failed: 0,
        });
      }
    });

    it('refuses with 422 not_enough_addresses, saying how many are possible, when the name runs out', async () => {
      const before = await rowCounts(h);
      // "Josh Smith" yields 18 realistic addresses (docs/bulk-addresses.md).
      const fresh = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'few.example.com', count: 19, quotaMb: 10 }),
      });
      expect(fresh.status).toBe(422);
      expect(fresh.body.code).toBe('not_enough_addresses');
      expect(fresh.body.possible).toBe(18);
      expect(fresh.body.detail).toMatch(/only 18 free/);
      expect(fresh.body.errors).toEqual([
        expect.objectContaining({ field: 'count', code: 'not_enough_addresses' }),
      ]);

      // Five are taken on skip.example.com, so 13 remain.
      const partly = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'skip.example.com', count: 14, quotaMb: 10 }),
      });
      expect(partly.status).toBe(422);
      expect(partly.body.code).toBe('not_enough_addresses');
      expect(partly.body.possible).toBe(13);
      expect(partly.body.detail).toMatch(/lower Number of mailboxes to 13/);
      expect(await rowCounts(h)).toEqual(before);

      // Exactly the possible number is accepted.
      const preview = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'skip.example.com', count: 13, quotaMb: 10, dryRun: true }),
      });
      expect(preview.status).toBe(200);
      expect(preview.body.preview.addresses).toHaveLength(13);
      expect(preview.body.preview.addresses).not.toContain('josh@skip.example.com');
    });
  });
}
