import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { runWith } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright domain dns on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    const cli = (args: string[]) => runWith(env, args);

    beforeAll(async () => {
      db = await freshStore(dialect);
      env = {
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailwright-cli-')),
        MAILWRIGHT_MAIL_HOST: 'MX.Mailwright.test.',
        MAILWRIGHT_SPF_INCLUDES: 'include:_spf.relay.test',
        MAILWRIGHT_DMARC_RUA: 'dmarc@reports.test',
        MAILWRIGHT_DMARC_POLICY: 'reject',
      };
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
    });
    afterAll(() => db?.drop());

    it('prints the records as a table, configured from the environment', async () => {
      const run = await cli(['domain', 'dns', 'example.com']);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toMatch(/^TYPE +HOST +VALUE$/);
      expect(lines).toContainEqual(
        expect.stringMatching(/^MX +example\.com +10 mx\.mailwright\.test\.$/),
      );
      expect(run.stdout).toContain('v=spf1 mx include:_spf.relay.test -all');
      expect(run.stdout).toContain('v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@reports.test');
      expect(run.stdout).toContain('mailwright domain dns example.com --zone');
    });

    it('prints a zone fragment with --zone', async () => {
      const run = await cli(['domain', 'dns', 'example.com', '--zone']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^; DNS records Mailwright needs for example\.com\n\$TTL 3600\n/);
      expect(run.stdout).toContain('\nexample.com. 3600 IN MX 10 mx.mailwright.test.\n');
    });

    it('prints the API shape with --json', async () => {
      const run = await cli(['--json', 'domain', 'dns', 'example.com']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.json.checkedAt).toBeNull();
      expect(run.json.records).toHaveLength(10);
    });
  });
}
