import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsColumns } from '../../src/core/credentials-csv.js';
import { verifyPassword } from '../../src/core/password-hash.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { runWith, type RunOptions } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`credentials --format in the CLI on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    let dir: string;
    const cli = (args: string[], opts?: RunOptions) => runWith(env, args, opts);

    beforeAll(async () => {
      db = await freshStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'mailwright-format-'));
      env = {
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: join(dir, 'data'),
        MAILWRIGHT_ACCOUNT: 'acme',
      };
      expect((await cli(['account', 'create', 'acme'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
      expect((await cli(['domain', 'verify', 'example.com', '--manual'])).code).toBe(0);
    });
    afterAll(() => db?.drop());

    it('mailbox bulk --format instantly writes Instantly’s columns, every password logging in', async () => {
      const file = join(dir, 'instantly.csv');
      const run = await cli([
        'mailbox',
        'bulk',
        '--name',
        'Josh Smith',
        '--domain',
        'example.com',
        '--count',
        '2',
        '--out',
        file,
        '--format',
        'instantly',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const csv = readFileSync(file, 'utf8');
      expect(csv.split('\r\n')[0]).toBe(credentialsColumns('instantly').join(','));
      const rows = parse(csv, { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        const { password_hash } = await db.store.db
          .selectFrom('mailboxes')
          .select('password_hash')
          .where('address', '=', row.Email!)
          .executeTakeFirstOrThrow();
        await expect(verifyPassword(row['SMTP Password']!, password_hash)).resolves.toBe(true);
      }
    });

    it('jobs credentials --format smartlead prints Smartlead’s columns; an unknown format is a usage error', async () => {
      const bulk = await cli([
        '--json',
        'mailbox',
        'bulk',
        '--name',
        'Mary Berg',
        '--domain',
        'example.com',
        '--count',
        '1',
      ]);
      expect(bulk.code, bulk.stderr).toBe(0);
      const id = bulk.json.job.id as string;
      const wrong = await cli(['jobs', 'credentials', id, '--out', '-', '--format', 'mailchimp']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('generic, instantly, smartlead');
      const run = await cli(['jobs', 'credentials', id, '--out', '-', '--format', 'smartlead']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.split('\r\n')[0]).toBe(credentialsColumns('smartlead').join(','));
      expect(run.stdout).toContain('Mary Berg,mary@example.com,mary@example.com,');
    });
  });
}
