import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { runWith, type RunOptions } from './run-cli.js';

const DOMAINS = ['a.com', 'b.com', 'c.com', 'd.com'];

for (const dialect of DIALECTS) {
  describe(`mailwright mailbox spread on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    let dir: string;
    const cli = (args: string[], opts?: RunOptions) => runWith(env, args, opts);

    beforeAll(async () => {
      db = await freshStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'mailwright-spread-'));
      env = {
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: join(dir, 'data'),
        MAILWRIGHT_ACCOUNT: 'acme',
      };
      expect((await cli(['account', 'create', 'acme'])).code).toBe(0);
      expect((await cli(['account', 'limits', 'acme', '--max-bulk-count', '20'])).code).toBe(0);
      for (const d of DOMAINS) {
        expect((await cli(['domain', 'add', d])).code).toBe(0);
        expect((await cli(['domain', 'verify', d, '--manual'])).code).toBe(0);
      }
    });
    afterAll(async () => {
      await db?.drop();
    });

    const spread = [
      'mailbox',
      'spread',
      ...DOMAINS.flatMap((d) => ['--domain', d]),
      ...['Josh Smith', 'Mary Jones', 'Tom Brown'].flatMap((p) => ['--persona', p]),
      '--per-domain',
      '3',
    ];

    it('--dry-run prints the addresses per domain and every hostname’s limits, writing nothing', async () => {
      const run = await cli([...spread, '--dry-run']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Would create 12 mailboxes on 4 domains');
      expect(run.stdout).toMatch(/^b\.com\n {2}josh@b\.com\n {2}mary@b\.com\n {2}tom@b\.com$/m);
      expect(run.stdout).toMatch(/^mailboxLimit of d\.com +0 +3 +10$/m);
      expect(run.stdout).toMatch(/^maxBulkCount \(this request\) +- +12 +20$/m);
      expect(run.stdout).toContain('nothing was written');
    });

    it('creates the 3×4 spread as one job and writes one credentials file', async () => {
      const out = join(dir, 'spread.csv');
      const run = await cli([...spread, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^progress 12\/12$/m);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as { email: string }[];
      expect(rows.map((r) => r.email)).toEqual(
        DOMAINS.flatMap((d) => [`josh@${d}`, `mary@${d}`, `tom@${d}`]),
      );
      const jobs = await cli(['--json', 'jobs', 'list']);
      expect(jobs.json.items).toEqual([
        expect.objectContaining({ status: 'succeeded', total: 12, credentials: 'downloaded' }),
      ]);
    });
  });
}
