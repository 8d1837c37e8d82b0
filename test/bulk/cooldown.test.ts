import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/core/limits.js';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import {
  addSubdomains,
  bulk,
  call,
  MINUTE,
  rowCounts,
  setLimits,
  startClockedHarness,
} from './bulk-support.js';

const csv = (rows: string[]) => ['name,local_part,domain', ...rows].join('\n');

for (const dialect of DIALECTS) {
  describe(`bulk cooldown on ${dialect}`, () => {
    let h: Harness;
    let time: Awaited<ReturnType<typeof startClockedHarness>>['time'];

    beforeAll(async () => {
      ({ h, time } = await startClockedHarness(dialect));
      await h.verifiedDomain(h.alice, 'example.com');
      // One hostname per request, so slots never interfere; the cooldown limits are the defaults.
      await addSubdomains(h, 'example.com', ['a', 'b', 'c', 'd', 'e', 'f']);
      expect(DEFAULT_LIMITS).toMatchObject({ cooldownThreshold: 5, cooldownSeconds: 300 });
    });
    afterAll(() => h.close());

    it('lets batches up to cooldownThreshold follow each other without a cooldown', async () => {
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'a.example.com', count: 5 }),
          })
        ).status,
      ).toBe(202);
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'b.example.com', count: 1 }),
          })
        ).status,
      ).toBe(202);
      expect((await call(h, 'GET', '/v1/limits')).body.cooldowns.bulkMailboxes).toEqual({
        active: false,
        retryAt: null,
        seconds: 300,
      });
    });

    it('answers the next bulk request after a batch above the threshold with 429 cooldown_active, Retry-After and retryAt', async () => {
      const started = time.now().getTime();
      const large = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'c.example.com', count: 6 }),
      });
      expect(large.status).toBe(202);
      const retryAt = new Date(started + 300_000).toISOString();

      time.advance(MINUTE);
      const before = await rowCounts(h);
      const next = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'd.example.com', count: 1 }),
      });
      expect(next.status).toBe(429);
      expect(next.body).toMatchObject({ code: 'cooldown_active', retryAt });
      // Counted on the service clock: one minute into a 300 s cooldown, 240 s remain.
      expect(next.headers['retry-after']).toBe('240');

      // A CSV import shares the cooldown.
      const imported = await call(h, 'POST', '/v1/mailboxes/import', {
        body: csv(['Anna Berg,anna,d.example.com']),
        headers: { 'content-type': 'text/csv' },
      });
      expect(imported.status).toBe(429);
      expect(imported.body).toMatchObject({ code: 'cooldown_active', retryAt });
      expect(imported.headers['retry-after']).toBeDefined();
      expect(await rowCounts(h)).toEqual(before);

      const limits = await call(h, 'GET', '/v1/limits');
      expect(limits.body.cooldowns.bulkMailboxes).toEqual({ active: true, retryAt, seconds: 300 });
    });

    it('answers a dry run during a cooldown with the preview and cooldown.active true', async () => {
      const before = await rowCounts(h);
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'd.example.com', count: 2, dryRun: true }),
      });
      expect(res.status).toBe(200);
      expect(res.body.preview.addresses).toEqual([
        'josh@d.example.com',
        'josh.smith@d.example.com',
      ]);
      expect(res.body.preview.limits.cooldown).toMatchObject({
        active: true,
        seconds: 300,
        startsAfterThis: false,
      });
      expect(res.body.preview.limits.cooldown.retryAt).toBe(
        (await call(h, 'GET', '/v1/limits')).body.cooldowns.bulkMailboxes.retryAt,
      );
      expect(await rowCounts(h)).toEqual(before);
    });

    it('accepts bulk requests again once the clock passes cooldownSeconds', async () => {
      time.advance(3 * MINUTE + 59_000);
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'd.example.com', count: 1 }),
          })
        ).status,
      ).toBe(429);
      time.advance(1_000);
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'd.example.com', count: 1 }),
      });
      expect(res.status).toBe(202);
      expect((await call(h, 'GET', '/v1/limits')).body.cooldowns.bulkMailboxes).toEqual({
        active: false,
        retryAt: null,
        seconds: 300,
      });
    });

    it('starts no cooldown when a large request is refused', async () => {
      await setLimits(h, { maxMailboxesPerDomain: 5 });
      const refused = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'e.example.com', count: 6 }),
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('limit_exceeded');
      await setLimits(h, { maxMailboxesPerDomain: null });
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'e.example.com', count: 1 }),
          })
        ).status,
      ).toBe(202);
    });

    it('follows the limits an operator sets: a lower threshold and a shorter cooldown apply at once', async () => {
      await setLimits(h, { cooldownThreshold: 1, cooldownSeconds: 60 });
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'f.example.com', count: 2 }),
          })
        ).status,
      ).toBe(202);
      const next = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'f.example.com', count: 1, name: 'Mary Jones' }),
      });
      expect(next.status).toBe(429);
      expect(next.body.retryAt).toBe(new Date(time.now().getTime() + 60_000).toISOString());
      time.advance(60_000);
      expect(
        (
          await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ domain: 'f.example.com', count: 1, name: 'Mary Jones' }),
          })
        ).status,
      ).toBe(202);
      await setLimits(h, { cooldownThreshold: null, cooldownSeconds: null });
    });

    it('weighs an import by the rows it will create, not the rows refused at upload', async () => {
      time.advance(10 * MINUTE);
      await addSubdomains(h, 'example.com', ['g']);
      const refused = 'abcdefg'.split('').map((c) => `Admin User,x${c},g.example.com`);
      const imported = await call(h, 'POST', '/v1/mailboxes/import', {
        body: csv(['Anna Berg,anna,g.example.com', ...refused]),
        headers: { 'content-type': 'text/csv' },
      });
      expect(imported.status).toBe(202);
      expect(imported.body.job).toMatchObject({ total: 8, failed: 7 });
      expect((await call(h, 'GET', '/v1/limits')).body.cooldowns.bulkMailboxes.active).toBe(false);
    });
  });
}
