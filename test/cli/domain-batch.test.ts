import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith, type RunOptions } from './run-cli.js';
import { DIALECTS, freshStore } from '../support/dialects.js';

for (const dialect of DIALECTS) {
  describe(`mailwright domain add --file on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let env: Record<string, string>;
    let dir: string;
    const cli = (args: string[], opts?: RunOptions) => runWith(env, args, opts);

    beforeAll(async () => {
      db = await freshStore(dialect);
      dir = mkdtempSync(join(tmpdir(), 'mailwright-domains-'));
      env = { MAILWRIGHT_DATABASE_URL: db.url, MAILWRIGHT_DATA_DIR: dir };
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
    });
    afterAll(() => db?.drop());

    it('adds every line of the file and reports each one', async () => {
      const file = join(dir, 'domains.txt');
      writeFileSync(file, 'alpha.example\nwww.beta.example\n\ngamma.example\nalpha.example\n');
      const run = await cli(['domain', 'add', '--file', file]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/✔ alpha\.example added: publish TXT _mailwright\.alpha\.example/);
      expect(run.stdout).toContain('✔ gamma.example added');
      expect(run.stdout).toMatch(/✘ www\.beta\.example rejected: .*\(www_prefix\)/);
      expect(run.stdout).toMatch(/✘ alpha\.example rejected: .*\(duplicate\)/);
      expect(run.stdout).toContain('2 added, 2 rejected.');
    });

    it('reads standard input for -, prints JSON and fails when nothing was added', async () => {
      const run = await cli(['--json', 'domain', 'add', '--file', '-'], {
        stdin: 'alpha.example\n',
      });
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({
        created: [],
        rejected: [{ name: 'alpha.example', code: 'domain_exists' }],
      });
    });

    it('refuses a name together with --file, and neither', async () => {
      const both = await cli(['domain', 'add', 'x.example', '--file', '-']);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('not both');
      const neither = await cli(['domain', 'add']);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain('--file');
    });
  });
}
