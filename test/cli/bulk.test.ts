import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { runWith, type RunOptions } from './run-cli.js';

const JOSH = [
  'josh@example.com',
  'josh.smith@example.com',
  'jsmith@example.com',
  'joshsmith@example.com',
  'j.smith@example.com',
];

for (const dialect of DIALECTS) {
  describe(`mailwright mailbox bulk, jobs and limits on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    let dir: string;
    const cli = (args: string[], opts?: RunOptions) => runWith(env, args, opts);

    const count = async (table: 'mailboxes' | 'jobs') =>
      Number(
        (
          await db.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    /** Every row of a credentials CSV logs in: its password verifies against the stored hash. */
    const expectWorkingCredentials = async (csv: string, rows: number) => {
      expect(csv.split('\r\n')[0]).toMatch(/^email,password,/);
      const records = parse(csv, { columns: true }) as { email: string; password: string }[];
      expect(records).toHaveLength(rows);
      const hashes = new Map(
        (
          await db.store.db
            .selectFrom('mailboxes')
            .select(['address', 'password_hash'])
            .where(
              'address',
              'in',
              records.map((r) => r.email),
            )
            .execute()
        ).map((m) => [m.address, m.password_hash]),
      );
      expect(hashes.size).toBe(rows);
      for (const r of records) {
        await expect(verifyPassword(r.password, hashes.get(r.email)!)).resolves.toBe(true);
      }
      return records;
    };

    beforeAll(async () => {
      db = await freshStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'mailwright-bulk-'));
      env = {
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: join(dir, 'data'),
        MAILWRIGHT_ACCOUNT: 'acme',
      };
      expect((await cli(['account', 'create', 'acme'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
      expect((await cli(['domain', 'verify', 'example.com', '--manual'])).code).toBe(0);
    });
    afterAll(async () => {
      await db?.drop();
    });

    const josh = ['mailbox', 'bulk', '--name', 'Josh Smith', '--domain', 'example.com'];

    it('--dry-run prints the exact addresses and the limits, and writes nothing', async () => {
      const run = await cli([...josh, '--count', '5', '--dry-run']);
      expect(run.code, run.stderr).toBe(0);
      expect([...run.stdout.matchAll(/^ {2}(\S+@\S+)$/gm)].map((m) => m[1])).toEqual(JOSH);
      expect(run.stdout).toMatch(/^maxBulkCount \(this request\) +- +5 +10$/m);
      expect(run.stdout).toMatch(/^mailboxLimit of example\.com +0 +5 +10$/m);
      expect(run.stdout).toMatch(/^storage pool of example\.com +0 MB +5120 MB +10240 MB$/m);
      expect(run.stdout).toContain('nothing was written');

      const json = await cli(['--json', ...josh, '--count', '5', '--dry-run']);
      expect(json.json.preview.addresses).toEqual(JOSH);
      expect(json.json.preview.limits.maxBulkCount).toEqual({ max: 10, requested: 5 });
      expect(await count('mailboxes')).toBe(0);
      expect(await count('jobs')).toBe(0);
    });

    it('--out writes the credentials once to a new 0600 file, and never overwrites one', async () => {
      const out = join(dir, 'creds.csv');
      const run = await cli([...josh, '--count', '5', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const csv = readFileSync(out, 'utf8');
      const records = await expectWorkingCredentials(csv, 5);
      expect(records.map((r) => r.email)).toEqual(JOSH);
      // Not a terminal: plain progress lines, the last one complete; no password on stdout.
      expect(run.stdout).toMatch(/^progress 5\/5$/m);
      expect(run.stdout).not.toContain('\r');
      expect(run.stdout).toContain(`Wrote 5 credentials to ${out} (mode 0600)`);
      for (const r of records) expect(run.stdout + run.stderr).not.toContain(r.password);

      const jobs = await cli(['--json', 'jobs', 'list']);
      expect(jobs.json.items).toEqual([
        expect.objectContaining({
          status: 'succeeded',
          total: 5,
          done: 5,
          credentials: 'downloaded',
        }),
      ]);

      const again = await cli([...josh, '--count', '2', '--out', out]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`${out} already exists and is never overwritten`);
      expect(readFileSync(out, 'utf8')).toBe(csv);
      expect(await count('jobs')).toBe(1);
    });

    it('on a terminal, one progress line redrawn in place, and how to download once', async () => {
      const run = await cli(
        ['mailbox', 'bulk', '--name', 'Ann Lee', '--domain', 'example.com', '--count', '5'],
        { stdoutTTY: true },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('\r[##########] 5/5 created, 0 failed\n');
      expect(run.stdout).not.toMatch(/^progress /m);
      const id = /job ([0-9a-f-]{36})\)/.exec(run.stdout)?.[1];
      expect(id, run.stdout).toBeDefined();
      expect(run.stdout).toContain(`mailwright jobs credentials ${id} --out`);
      expect(run.stdout).toContain(`GET /v1/jobs/${id}/credentials.csv`);

      const csv = await cli(['jobs', 'credentials', id!, '--out', '-']);
      expect(csv.code, csv.stderr).toBe(0);
      const records = await expectWorkingCredentials(csv.stdout, 5);
      for (const r of records) expect(run.stdout).not.toContain(r.password);

      // The same CLI user may download again for a while (a write that failed), then not.
      const twice = await cli(['jobs', 'credentials', id!, '--out', '-']);
      expect(twice.code, twice.stderr).toBe(0);
      expect(twice.stdout).toBe(csv.stdout);

      const shown = await cli(['jobs', 'show', id!]);
      expect(shown.stdout).toMatch(/^Status: +succeeded$/m);
      expect(shown.stdout).toMatch(/^Progress: +\[##########\] 5\/5 created, 0 failed$/m);
      expect(shown.stdout).toMatch(/^Credentials: +downloaded$/m);
    });

    it('a bulk over the default maxBulkCount (10) fails with exit 2 and limit_exceeded', async () => {
      const run = await cli([...josh, '--count', '11']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'error: maxBulkCount is 10: 0 in use, so 11 more would exceed it',
      );
      expect(run.stderr).toMatch(/^ {2}count: .*\(limit_exceeded\)$/m);
      const json = await cli(['--json', ...josh, '--count', '11']);
      expect(json.code).toBe(2);
      expect(json.json).toMatchObject({ status: 422, code: 'limit_exceeded' });
      expect(await count('jobs')).toBe(2);
    });

    it('account limits raises maxBulkCount, and a bulk of 12 is then accepted', async () => {
      const raised = await cli([
        'account',
        'limits',
        'acme',
        '--max-bulk-count',
        '50',
        '--max-mailboxes-per-domain',
        '20',
      ]);
      expect(raised.code, raised.stderr).toBe(0);
      expect(raised.stdout).toMatch(/^max-bulk-count +50 +10$/m);
      expect(raised.stdout).toMatch(/^max-mailboxes-per-domain +20 +10$/m);
      expect(raised.stdout).toMatch(/^max-domains +50 +50$/m);

      const added = await cli([
        'domain',
        'add',
        'example.org',
        '--mailbox-limit',
        '20',
        '--quota-mb',
        '20000',
      ]);
      expect(added.code, added.stderr).toBe(0);
      await cli(['domain', 'verify', 'example.org', '--manual']);
      const shown = await cli(['--json', 'domain', 'show', 'example.org']);
      expect(shown.json).toMatchObject({ mailboxLimit: 20, quotaMb: 20000, status: 'verified' });

      const run = await cli([
        'mailbox',
        'bulk',
        '--name',
        'Mary Ann Smith-Jones',
        '--domain',
        'example.org',
        '--count',
        '12',
        '--quota-mb',
        '100',
        '--out',
        '-',
      ]);
      expect(run.code, run.stderr).toBe(0);
      // stdout is exactly the CSV; the story goes to stderr.
      expect(run.stdout.startsWith('email,password,')).toBe(true);
      await expectWorkingCredentials(run.stdout, 12);
      expect(run.stderr).toMatch(/^progress 12\/12$/m);
      expect(run.stderr).toContain('Created 12 of 12 mailboxes');
    });

    it('account limits: default resets, no flag just prints, a bad value exits 2', async () => {
      const reset = await cli([
        '--json',
        'account',
        'limits',
        'acme',
        '--max-bulk-count',
        'default',
      ]);
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.json).toEqual({
        maxDomains: 50,
        maxSubdomainsPerDomain: 20,
        maxMailboxesPerDomain: 20,
        maxBulkCount: 10,
        maxMailboxesPerHour: 200,
        cooldownThreshold: 5,
        cooldownSeconds: 300,
        defaultDailySendLimit: 500,
        defaultHourlySendLimit: 100,
        defaultWarmupStart: 0,
        defaultWarmupIncrement: 0,
        defaultWarmupMax: 500,
        maxAliasTargets: 50,
      });
      const shown = await cli(['account', 'limits', 'ACME']);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/^max-bulk-count +10 +10$/m);
      expect(shown.stdout).not.toContain('Updated');
      expect((await cli([...josh, '--count', '11', '--dry-run'])).code).toBe(2);

      const word = await cli(['account', 'limits', 'acme', '--max-bulk-count', 'lots']);
      expect(word.code).toBe(2);
      expect(word.stderr).toContain('Enter a whole number, or default');
      const range = await cli(['account', 'limits', 'acme', '--max-bulk-count', '0']);
      expect(range.code).toBe(2);
      expect(range.stderr).toMatch(
        /^ {2}max-bulk-count: Enter a whole number from 1 to 10000.*\(limit_out_of_range\)$/m,
      );
      const nobody = await cli(['account', 'limits', 'nobody', '--max-bulk-count', '5']);
      expect(nobody.code).toBe(4);
    });

    it('a staged bulk runs its first wave here and leaves the next to the server', async () => {
      await cli(['account', 'limits', 'acme', '--cooldown-seconds', '0']);
      const base = [
        'mailbox',
        'bulk',
        '--name',
        'Mary Ann Smith-Jones',
        '--domain',
        'example.org',
        '--count',
        '4',
        '--quota-mb',
        '100',
      ];
      const half = await cli([...base, '--stage-size', '2']);
      expect(half.code).toBe(2);
      expect(half.stderr).toContain('--stage-size and --stage-interval-minutes go together');
      const out = await cli([
        ...base,
        '--stage-size',
        '2',
        '--stage-interval-minutes',
        '10',
        '--out',
        join(dir, 'x.csv'),
      ]);
      expect(out.code).toBe(2);

      const run = await cli(
        [
          '--json',
          ...base,
          '--stage-size',
          '2',
          '--stage-interval-minutes',
          '10',
          '--password-stdin',
        ],
        { stdin: 'correct horse battery staple 42\n' },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.json.job).toMatchObject({
        total: 4,
        done: 2,
        status: 'running',
        finishedAt: null,
      });
      const next = Date.parse(run.json.job.nextRunAt);
      expect(next).toBeGreaterThan(Date.now() + 9 * 60_000);
      expect(run.stderr).toContain(`The next wave runs at ${run.json.job.nextRunAt}`);
      expect(run.stderr).toContain(`mailwright jobs show ${run.json.job.id}`);

      const shown = await cli(['jobs', 'show', run.json.job.id]);
      expect(shown.stdout).toMatch(/^Next wave: +\S+$/m);
      expect(shown.stdout).toMatch(/^Progress: +\[#####-----\] 2\/4 created, 0 failed$/m);
    });

    it('domain update resizes, never below what is used', async () => {
      const below = await cli(['domain', 'update', 'example.org', '--mailbox-limit', '10']);
      expect(below.code).toBe(2);
      expect(below.stderr).toContain('(below_usage)');
      const ok = await cli(['domain', 'update', 'example.org', '--mailbox-limit', '18']);
      expect(ok.code, ok.stderr).toBe(0);
      // 12 mailboxes plus the 4 planned by the staged job hold slots.
      expect(ok.stdout).toMatch(/of 18 mailbox slots used, storage pool 20000 MB/);
      const nothing = await cli(['domain', 'update', 'example.org']);
      expect(nothing.code).toBe(2);
      expect(nothing.stderr).toContain('nothing to change');
    });

    it('jobs list filters by status; jobs show names a missing job', async () => {
      const all = await cli(['jobs', 'list']);
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout).toMatch(/^ID +KIND +STATUS +PROGRESS +CREATED$/m);
      expect(all.stdout).toMatch(/ bulk_mailboxes +running +2\/4 created, 0 failed /);
      const done = await cli(['--json', 'jobs', 'list', '--status', 'succeeded']);
      expect(done.json.items.map((j: { total: number }) => j.total)).toEqual([12, 5, 5]);
      expect((await cli(['jobs', 'list', '--status', 'done'])).code).toBe(2);
      const missing = await cli(['jobs', 'show', 'nope']);
      expect(missing.code).toBe(4);
    });

    it('jobs cancel ends the staged job: done stays, the rest is never created, once only', async () => {
      const [staged] = (await cli(['--json', 'jobs', 'list', '--status', 'running'])).json.items;
      expect(staged).toMatchObject({ total: 4, done: 2 });
      const run = await cli(['jobs', 'cancel', staged.id]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Cancelled job ${staged.id}: 2/4 created, 0 failed`);
      const shown = await cli(['--json', 'jobs', 'show', staged.id]);
      expect(shown.json).toMatchObject({ status: 'cancelled', done: 2, nextRunAt: null });
      const listed = await cli(['--json', 'jobs', 'list', '--status', 'cancelled']);
      expect(listed.json.items.map((j: { id: string }) => j.id)).toEqual([staged.id]);
      // Its two pending mailboxes no longer hold slots: 12 + 2 created.
      const resized = await cli(['domain', 'update', 'example.org', '--mailbox-limit', '14']);
      expect(resized.code, resized.stderr).toBe(0);

      const again = await cli(['jobs', 'cancel', staged.id]);
      expect(again.code).toBe(3);
      expect(again.stderr).toContain('has already finished (cancelled)');
    });
  });
}
