import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressCandidates } from '../../src/core/address-candidates.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { addressesOn, call, runJobs, setLimits } from './bulk-support.js';

// Postfix refuses a recipient starting with "-" (allow_min_user = no), and the credentials CSV
// used to write such an address as '-bo@… (formula defusing): no path may create one.
for (const dialect of DIALECTS) {
  describe(`local parts starting with a hyphen on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await setLimits(h, { cooldownThreshold: 10_000 });
    });
    afterAll(() => h.close());

    it('refuses one mailbox whose local part starts with "-": 422 hyphen_start', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: {
          mode: 'single',
          name: 'Bo Berg',
          localPart: '-bo',
          domain: 'example.com',
          password: { generate: true },
        },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'localPart', code: 'hyphen_start' }),
      ]);
      expect(await addressesOn(h, 'example.com')).toEqual([]);
    });

    it('refuses the row of a CSV import, creating the others', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes/import', {
        body: 'name,local_part,domain\nBo Berg,-bo,example.com\nAnna Berg,anna,example.com\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(202);
      await runJobs(h);
      const job = (await call(h, 'GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job.errors).toEqual([expect.objectContaining({ code: 'hyphen_start' })]);
      expect(await addressesOn(h, 'example.com')).toEqual(['anna@example.com']);
    });

    it('never generates one from a name in bulk', () => {
      expect(addressCandidates('-Bo -Berg-')).not.toContainEqual(expect.stringMatching(/^-/));
    });
  });
}
