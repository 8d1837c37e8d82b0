import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { checkSend } from '../../src/services/sending/check-send.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`sending limits on ${dialect}`, () => {
    let h: Harness;
    let now = new Date('2026-11-25T10:00:00.000Z');
    const clock = () => now;

    beforeAll(async () => {
      h = await startHarness(dialect, { clock });
      await h.verifiedDomain(h.alice, 'example.com');
    });
    afterAll(() => h.close());

    const create = (localPart: string, extra: Record<string, unknown> = {}) =>
      h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({ localPart, ...extra }),
      });

    it('gives a new mailbox the platform defaults and shows where it stands today', async () => {
      const res = await create('plain');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.mailbox.sending).toEqual({
        dailyLimit: 500,
        hourlyLimit: 100,
        warmup: null,
        sentToday: 0,
        limitToday: 500,
        sentThisHour: 0,
        rampDay: null,
      });
    });

    it('takes a policy at creation and changes only what a PATCH gives', async () => {
      const res = await create('ramp', {
        sending: { dailyLimit: 30, hourlyLimit: 10, warmup: { start: 10, increment: 3, max: 40 } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.mailbox.sending).toMatchObject({
        dailyLimit: 30,
        hourlyLimit: 10,
        warmup: { start: 10, increment: 3, max: 40, startDate: '2026-11-25' },
        limitToday: 10,
        rampDay: 0,
      });
      const patched = await h.request('PATCH', '/v1/mailboxes/ramp@example.com', {
        body: { sending: { dailyLimit: 12 } },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.mailbox.sending).toMatchObject({ dailyLimit: 12, hourlyLimit: 10 });
      expect(patched.body.mailbox.sending.warmup).not.toBeNull();
      const off = await h.request('PATCH', '/v1/mailboxes/ramp@example.com', {
        body: { sending: { warmup: null } },
      });
      expect(off.body.mailbox.sending).toMatchObject({ warmup: null, limitToday: 12 });
      const listed = await h.request('GET', '/v1/mailboxes?q=ramp');
      expect(listed.body.items[0].sending).toMatchObject({ dailyLimit: 12, warmup: null });
    });

    it('refuses out-of-range limits and a ceiling below the start, naming each field', async () => {
      const res = await h.request('PATCH', '/v1/mailboxes/plain@example.com', {
        body: {
          sending: { dailyLimit: -1, warmup: { start: 10, increment: 1, max: 5, startDate: 'x' } },
        },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'sending.dailyLimit',
        'sending.warmup.max',
        'sending.warmup.startDate',
      ]);
    });

    it('applies the account defaults to new mailboxes, single and bulk', async () => {
      await setAccountLimits(h.ctx, {
        account: 'alice',
        changes: {
          defaultDailySendLimit: 40,
          defaultHourlySendLimit: 8,
          defaultWarmupStart: 5,
          defaultWarmupIncrement: 5,
          defaultWarmupMax: 30,
        },
        actor: 'test',
      });
      const single = await create('defaulted', { sending: { hourlyLimit: 9 } });
      expect(single.body.mailbox.sending).toMatchObject({
        dailyLimit: 40,
        hourlyLimit: 9,
        warmup: { start: 5, increment: 5, max: 30 },
      });
      const bulk = await h.request('POST', '/v1/mailboxes', {
        body: {
          mode: 'bulk',
          name: 'Anna Berg',
          domain: 'example.com',
          count: 2,
          password: { generate: true },
          sending: { dailyLimit: 25 },
        },
      });
      expect(bulk.status, JSON.stringify(bulk.body)).toBe(202);
      await new JobRunner(h.ctx).runPending();
      const page = await h.request('GET', '/v1/mailboxes?q=anna');
      expect(page.body.items).toHaveLength(2);
      for (const m of page.body.items) {
        expect(m.sending).toMatchObject({ dailyLimit: 25, hourlyLimit: 8, limitToday: 5 });
      }
      const limits = await h.request('GET', '/v1/limits');
      expect(limits.body.limits).toMatchObject({
        defaultDailySendLimit: 40,
        defaultWarmupStart: 5,
      });
    });

    it('counts recipients per login, refuses past the daily limit until the next UTC day', async () => {
      await create('five', { sending: { dailyLimit: 5, hourlyLimit: 100, warmup: null } });
      for (let i = 0; i < 5; i++)
        expect(await checkSend(h.ctx, 'five@example.com')).toEqual({ allowed: true });
      const refused = await checkSend(h.ctx, 'FIVE@example.com');
      expect(refused).toEqual({
        allowed: false,
        text: 'Daily sending limit of 5 recipients reached for five@example.com; it resets at 2026-11-26T00:00:00Z',
      });
      const shown = await h.request('GET', '/v1/mailboxes/five@example.com');
      expect(shown.body.sending).toMatchObject({ sentToday: 5, limitToday: 5, sentThisHour: 5 });
      const events = await h.ctx.store.db
        .selectFrom('events')
        .select(['action', 'details'])
        .where('target', '=', 'five@example.com')
        .where('action', '=', 'mailbox.send_limit_reached')
        .execute();
      expect(events.map((e) => JSON.parse(e.details))).toEqual([{ limit: 'daily', max: 5 }]);

      now = new Date('2026-11-26T00:00:05.000Z');
      expect(await checkSend(h.ctx, 'five@example.com')).toEqual({ allowed: true });
      const next = await h.request('GET', '/v1/mailboxes/five@example.com');
      expect(next.body.sending).toMatchObject({ sentToday: 1, sentThisHour: 1 });
    });

    it('refuses past the hourly limit in a rolling hour and says when it frees up', async () => {
      now = new Date('2026-11-26T08:10:30.000Z');
      await create('hourly', { sending: { dailyLimit: 100, hourlyLimit: 2 } });
      expect((await checkSend(h.ctx, 'hourly@example.com')).allowed).toBe(true);
      now = new Date('2026-11-26T08:40:00.000Z');
      expect((await checkSend(h.ctx, 'hourly@example.com')).allowed).toBe(true);
      now = new Date('2026-11-26T09:05:00.000Z');
      expect(await checkSend(h.ctx, 'hourly@example.com')).toEqual({
        allowed: false,
        text: 'Hourly sending limit of 2 recipients reached for hourly@example.com; it resets at 2026-11-26T09:10:00Z',
      });
      now = new Date('2026-11-26T09:10:00.000Z');
      expect((await checkSend(h.ctx, 'hourly@example.com')).allowed).toBe(true);
    });

    it('follows the warm-up ramp: start, plus increment per UTC day, up to max', async () => {
      now = new Date('2026-12-01T12:00:00.000Z');
      await create('warm', {
        sending: { dailyLimit: 100, warmup: { start: 2, increment: 2, max: 6 } },
      });
      const allowedOn = async (day: string) => {
        now = new Date(`${day}T12:00:00.000Z`);
        let n = 0;
        while ((await checkSend(h.ctx, 'warm@example.com')).allowed) n++;
        return n;
      };
      expect(await allowedOn('2026-12-01')).toBe(2);
      expect(await allowedOn('2026-12-02')).toBe(4);
      expect(await allowedOn('2026-12-06')).toBe(6);
      const shown = await h.request('GET', '/v1/mailboxes/warm@example.com');
      expect(shown.body.sending).toMatchObject({ rampDay: 5, limitToday: 6, sentToday: 6 });
    });

    it('never lets concurrent checks of one login pass the limit together', async () => {
      now = new Date('2026-12-10T12:00:00.000Z');
      await create('racer', { sending: { dailyLimit: 7, hourlyLimit: 100, warmup: null } });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => checkSend(h.ctx, 'racer@example.com')),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(7);
    });

    it('leaves a login that is no mailbox to Postfix', async () => {
      expect(await checkSend(h.ctx, 'nobody@example.com')).toEqual({ allowed: true });
    });
  });
}
