import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { addressesOn, addVerifiedDomain, bulk, call, setLimits, runJobs } from './bulk-support.js';

// Fifty distinct first names, so no two requests compete for an address.
const FIRST_NAMES = [
  'Anna',
  'Boris',
  'Clara',
  'David',
  'Elena',
  'Felix',
  'Greta',
  'Hugo',
  'Irene',
  'Jonas',
  'Karla',
  'Lukas',
  'Marta',
  'Nils',
  'Olga',
  'Peter',
  'Rosa',
  'Simon',
  'Tilda',
  'Viktor',
  'Wanda',
  'Xaver',
  'Yvonne',
  'Zoltan',
  'Agnes',
  'Bruno',
  'Cecile',
  'Dennis',
  'Edith',
  'Frank',
  'Gloria',
  'Henrik',
  'Ingrid',
  'Julius',
  'Klaus',
  'Lena',
  'Moritz',
  'Nora',
  'Oskar',
  'Paula',
  'Ruben',
  'Sofia',
  'Tobias',
  'Ursula',
  'Vera',
  'Walter',
  'Yara',
  'Zora',
  'Albert',
  'Bettina',
];

for (const dialect of DIALECTS) {
  describe(`bulk limits under concurrency on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await addVerifiedDomain(h, { name: 'race.com', mailboxLimit: 10 });
      await addVerifiedDomain(h, { name: 'hourly.com' });
      // No cooldown may decide the race: only the 10 slots of race.com.
      await setLimits(h, {
        maxBulkCount: 10,
        cooldownThreshold: 10_000,
        maxMailboxesPerHour: 100_000,
      });
    });
    afterAll(() => h.close());

    it('accepts exactly as many of 50 simultaneous batches of 3 as the 10 slots hold, and refuses the rest with limit_exceeded', async () => {
      expect(new Set(FIRST_NAMES).size).toBe(50);
      const replies = await Promise.all(
        FIRST_NAMES.map((first) =>
          call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ name: `${first} Miller`, domain: 'race.com', count: 3, quotaMb: 10 }),
          }),
        ),
      );
      const accepted = replies.filter((r) => r.status === 202);
      const refused = replies.filter((r) => r.status !== 202);
      expect(accepted).toHaveLength(3);
      for (const r of refused) {
        expect(r.status).toBe(422);
        expect(r.body).toMatchObject({
          code: 'limit_exceeded',
          limit: 'mailboxLimit',
          usage: 9,
          max: 10,
        });
      }

      await runJobs(h);
      const addresses = await addressesOn(h, 'race.com');
      expect(addresses.length).toBeLessThanOrEqual(10);
      expect(addresses).toHaveLength(accepted.length * 3);
      for (const r of accepted) {
        expect((await call(h, 'GET', `/v1/jobs/${r.body.job.id}`)).body).toMatchObject({
          status: 'succeeded',
          done: 3,
          failed: 0,
        });
      }
      expect((await call(h, 'GET', '/v1/domains/race.com')).body).toMatchObject({
        mailboxCount: 9,
        mailboxLimit: 10,
      });
    });

    it('creates exactly as many of 50 simultaneous single mailboxes as the 10 slots hold', async () => {
      await addVerifiedDomain(h, { name: 'single-race.com', mailboxLimit: 10 });
      // All pass the pre-check (the hostname is empty), so only the check under the lock decides.
      const replies = await Promise.all(
        FIRST_NAMES.map((first) =>
          call(h, 'POST', '/v1/mailboxes', {
            body: {
              mode: 'single',
              name: `${first} Race`,
              localPart: first.toLowerCase(),
              domain: 'single-race.com',
              password: { generate: true },
              quotaMb: 10,
            },
          }),
        ),
      );
      expect(replies.filter((r) => r.status === 201)).toHaveLength(10);
      for (const r of replies.filter((r) => r.status !== 201)) {
        expect(r.status).toBe(422);
        expect(r.body).toMatchObject({ code: 'limit_exceeded', limit: 'mailboxLimit' });
      }
      expect(await addressesOn(h, 'single-race.com')).toHaveLength(10);
    });

    it('holds maxMailboxesPerHour exactly against simultaneous batches and single creates', async () => {
      const usage: number = (await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour;
      await setLimits(h, { maxMailboxesPerHour: usage + 7 });
      const replies = await Promise.all([
        ...FIRST_NAMES.slice(0, 20).map((first) =>
          call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ name: `${first} Novak`, domain: 'hourly.com', count: 2, quotaMb: 10 }),
          }),
        ),
        ...FIRST_NAMES.slice(20, 26).map((first) =>
          call(h, 'POST', '/v1/mailboxes', {
            body: {
              mode: 'single',
              name: `${first} Novak`,
              localPart: `${first.toLowerCase()}.single`,
              domain: 'hourly.com',
              password: { generate: true },
              quotaMb: 10,
            },
          }),
        ),
      ]);
      for (const r of replies.filter((r) => r.status !== 202 && r.status !== 201)) {
        expect(r.status).toBe(422);
        expect(r.body).toMatchObject({ code: 'limit_exceeded' });
        expect(['maxMailboxesPerHour', 'mailboxLimit']).toContain(r.body.limit);
      }
      await runJobs(h);
      const created = (await addressesOn(h, 'hourly.com')).length;
      const expected =
        replies.filter((r) => r.status === 202).length * 2 +
        replies.filter((r) => r.status === 201).length;
      expect(created).toBe(expected);
      expect(created).toBeLessThanOrEqual(7);
      // Seventeen batches of 2 at least were refused, so fewer than 2 hourly creations were left.
      expect(created).toBeGreaterThanOrEqual(6);
      expect((await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour).toBe(
        usage + created,
      );
    });
  });
}
