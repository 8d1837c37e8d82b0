import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { runWith } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright sending limits on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    const cli = (args: string[]) => runWith(env, args);

    beforeAll(async () => {
      db = await freshStore(dialect);
      env = {
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailwright-cli-')),
      };
      const ctx = testContext(db.store);
      const account = await createAccount(ctx, { name: 'admin', actor: 'test' });
      const actor = { accountId: account.id, name: 'test' };
      await addDomain(ctx, actor, { name: 'example.com' });
      await verifyDomain(ctx, actor, 'example.com', { manual: true });
    });
    afterAll(() => db?.drop());

    it('sets the account defaults that new mailboxes get', async () => {
      const run = await cli([
        'account',
        'limits',
        'admin',
        '--default-daily-send-limit',
        '30',
        '--default-warmup-start',
        '10',
        '--default-warmup-increment',
        '3',
        '--default-warmup-max',
        '40',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/default-daily-send-limit\s+30\s+500/);
      const add = await cli([
        '--json',
        'mailbox',
        'add',
        '--name',
        'Josh Smith',
        '--local',
        'josh',
        '--domain',
        'example.com',
      ]);
      expect(add.code, add.stderr).toBe(0);
      expect(add.json.mailbox.sending).toMatchObject({
        dailyLimit: 30,
        warmup: { start: 10, increment: 3, max: 40 },
        limitToday: 10,
      });
    });

    it('changes a mailbox’s limits with set-sending and shows them', async () => {
      const set = await cli([
        'mailbox',
        'set-sending',
        'josh@example.com',
        '--daily-limit',
        '25',
        '--hourly-limit',
        '5',
        '--warmup',
        '2,2,6',
        '--warmup-start',
        '2026-01-01',
      ]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('✔ Updated the sending limits of josh@example.com.');
      expect(set.stdout).toMatch(/Sending: +0 of 6 today, 0 of 5 this hour \(daily limit 25\)/);
      expect(set.stdout).toMatch(/Warm-up: +day \d+: 2 \+ 2\/day up to 6, from 2026-01-01/);
      const off = await cli(['mailbox', 'set-sending', 'josh@example.com', '--no-warmup']);
      expect(off.stdout).toMatch(/Warm-up: +none/);
      const list = await cli(['mailbox', 'list']);
      expect(list.stdout).toMatch(/josh@example\.com .* 0\/25 /);
    });

    it('gives new mailboxes their own limits with the add, bulk and spread flags, over the account defaults', async () => {
      const add = await cli([
        '--json',
        'mailbox',
        'add',
        '--name',
        'Kim Park',
        '--local',
        'kim',
        '--domain',
        'example.com',
        '--daily-limit',
        '12',
        '--hourly-limit',
        '4',
        '--warmup',
        '3:2:9',
      ]);
      expect(add.code, add.stderr).toBe(0);
      expect(add.json.mailbox.sending).toMatchObject({
        dailyLimit: 12,
        hourlyLimit: 4,
        warmup: { start: 3, increment: 2, max: 9 },
        limitToday: 3,
      });
      const bulk = await cli([
        'mailbox',
        'bulk',
        '--name',
        'Ann Lee',
        '--domain',
        'example.com',
        '--count',
        '2',
        '--daily-limit',
        '7',
        '--no-warmup',
      ]);
      expect(bulk.code, bulk.stderr).toBe(0);
      const spread = await cli([
        'mailbox',
        'spread',
        '--domain',
        'example.com',
        '--persona',
        'Bo Chen',
        '--per-domain',
        '1',
        '--hourly-limit',
        '3',
      ]);
      expect(spread.code, spread.stderr).toBe(0);
      const list = await cli(['--json', 'mailbox', 'list', '--limit', '100']);
      const sending = (local: string) =>
        list.json.items.find((m: { address: string }) => m.address.startsWith(local)).sending;
      expect(sending('ann')).toMatchObject({ dailyLimit: 7, warmup: null, limitToday: 7 });
      // Left out: the account's defaults (daily 30, ramp 10,3,40).
      expect(sending('bo')).toMatchObject({
        dailyLimit: 30,
        hourlyLimit: 3,
        warmup: { start: 10, increment: 3, max: 40 },
      });
    });

    it('previews and sets the limits of every mailbox of a domain as one job with bulk-set-sending', async () => {
      const dry = await cli([
        'mailbox',
        'bulk-set-sending',
        '--domain',
        'example.com',
        '--daily-limit',
        '20',
        '--dry-run',
      ]);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(
        /kim@example\.com +12\/day, 4\/hour, ramp 3\+2\/day up to 9 +20\/day, 4\/hour, ramp 3\+2\/day up to 9/,
      );
      expect(dry.stdout).toContain('Dry run: nothing was written.');
      const run = await cli([
        'mailbox',
        'bulk-set-sending',
        'kim@example.com',
        'josh@example.com',
        '--daily-limit',
        '20',
        '--no-warmup',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('✔ kim@example.com updated');
      expect(run.stdout).toContain('✔ josh@example.com updated');
      const kim = await cli(['--json', 'mailbox', 'show', 'kim@example.com']);
      expect(kim.json.sending).toMatchObject({ dailyLimit: 20, hourlyLimit: 4, warmup: null });
      const unknown = await cli([
        'mailbox',
        'bulk-set-sending',
        'nobody@example.com',
        '--daily-limit',
        '1',
      ]);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain('No mailbox nobody@example.com in this account.');
    });

    it('refuses an out-of-range limit with the rule, and a call with nothing to change', async () => {
      const bad = await cli(['mailbox', 'set-sending', 'josh@example.com', '--daily-limit', '-3']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('Enter a whole number of recipients from 0 to 100000');
      const none = await cli(['mailbox', 'set-sending', 'josh@example.com']);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('nothing to change');
    });
  });
}
