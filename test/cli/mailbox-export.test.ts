import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { parseCsv } from '../bulk/bulk-support.js';
import { runWith } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright mailbox export on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let dir: string;
    let env: Record<string, string>;
    const cli = (args: string[]) => runWith(env, args);

    beforeAll(async () => {
      db = await freshStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'mailwright-export-'));
      env = {
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: join(dir, 'data'),
        MAILWRIGHT_ACCOUNT: 'acme',
      };
      expect((await cli(['account', 'create', 'acme'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
      expect((await cli(['domain', 'verify', 'example.com', '--manual'])).code).toBe(0);
      const made = await cli([
        'mailbox',
        'bulk',
        '--name',
        'Ann Lee',
        '--domain',
        'example.com',
        '--count',
        '2',
      ]);
      expect(made.code, made.stderr).toBe(0);
    });
    afterAll(() => db?.drop());

    it('says how many mailboxes would get new passwords with --dry-run', async () => {
      const run = await cli(['mailbox', 'export', '--all', '--dry-run']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('2 mailboxes will get a new password');
    });

    it('writes the new passwords in the chosen format to a new 0600 file', async () => {
      const out = join(dir, 'smartlead.csv');
      const run = await cli([
        'mailbox',
        'export',
        '--domain',
        'example.com',
        '--out',
        out,
        '--format',
        'smartlead',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('new passwords for 2 mailboxes');
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
      expect(header[0]).toBe('from_name');
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.from_email).toMatch(/@example\.com$/);
    });
  });
}
