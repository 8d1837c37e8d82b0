import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  addressesOn,
  addVerifiedDomain,
  call,
  GENEROUS,
  runJobs,
  setLimits,
} from './bulk-support.js';

const SURNAMES = ['Berg', 'Dahl', 'Ek', 'Holm', 'Lind', 'Lund', 'Moe', 'Nyberg', 'Sund', 'Vik'];

for (const dialect of DIALECTS) {
  describe(`spread limits under concurrency on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await addVerifiedDomain(h, { name: 'shared.com', mailboxLimit: 4 });
      for (const s of SURNAMES) await addVerifiedDomain(h, { name: `${s.toLowerCase()}.com` });
      await setLimits(h, GENEROUS);
    });
    afterAll(() => h.close());

    it('never lets racing spreads pass a shared hostname’s slots', async () => {
      // Each spread puts 2 mailboxes on shared.com (4 slots) and 2 on a hostname of its own.
      const replies = await Promise.all(
        SURNAMES.map((surname) =>
          call(h, 'POST', '/v1/mailboxes', {
            body: {
              mode: 'spread',
              domains: [`${surname.toLowerCase()}.com`, 'shared.com'],
              personas: [{ name: `Anna ${surname}` }, { name: `Karl ${surname}` }],
              perDomain: 2,
              password: { generate: true },
              quotaMb: 10,
            },
          }),
        ),
      );
      const accepted = replies.filter((r) => r.status === 202);
      expect(accepted).toHaveLength(2);
      for (const r of replies.filter((r) => r.status !== 202)) {
        expect(r.status).toBe(422);
        expect(r.body).toMatchObject({ code: 'limit_exceeded', limit: 'mailboxLimit', max: 4 });
      }
      await runJobs(h);
      expect(await addressesOn(h, 'shared.com')).toHaveLength(4);
      const own = await Promise.all(SURNAMES.map((s) => addressesOn(h, `${s.toLowerCase()}.com`)));
      // Refused spreads wrote nothing on their own hostname either.
      expect(own.flat()).toHaveLength(4);
    });
  });
}
