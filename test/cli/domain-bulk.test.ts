import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright domain verify/publish in bulk on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect, { dns: true });
    const { cli } = t;

    beforeAll(async () => {
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
      for (const name of ['one.test', 'two.test', 'three.test']) {
        const added = await cli(['--json', 'domain', 'add', name]);
        expect(added.code, added.stderr).toBe(0);
        const { host, value } = (added.json as { verification: { host: string; value: string } })
          .verification;
        if (name !== 'three.test') t.dns.setTxt(host, [value]);
      }
    });

    it('verifies every pending domain as one job, a line per domain, and exits 1 on a failure', async () => {
      const run = await cli(['domain', 'verify', '--pending']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toContain('3 domain(s)');
      expect(run.stdout).toContain('✔ one.test verified');
      expect(run.stdout).toContain('✔ two.test verified');
      expect(run.stdout).toMatch(/✘ three\.test: Publish a TXT record .*\(verification_failed\)/);
      expect(run.stdout).toContain('progress 3/3, 1 failed');
    });

    it('exports every domain as a zip of zone files and the CSV, never over a file', async () => {
      const out = join(t.env.MAILWRIGHT_DATA_DIR!, 'dns.zip');
      const run = await cli(['domain', 'export', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/✔ Wrote \d+ record\(s\) to /);
      const files = unzipSync(readFileSync(out));
      expect(Object.keys(files).sort()).toEqual([
        'records.csv',
        'zones/one.test.zone',
        'zones/three.test.zone',
        'zones/two.test.zone',
      ]);
      expect((await cli(['domain', 'export', '--out', out])).code).toBe(2);
      const csv = await cli(['domain', 'export', 'two.test', '--csv', '--out', '-']);
      expect(csv.stdout.split('\r\n')[0]).toBe('domain,type,host,value,ttl');
      expect(csv.stdout).not.toContain('one.test');
    });

    it('refuses --manual for more than one domain', async () => {
      const run = await cli(['domain', 'verify', 'one.test', 'two.test', '--manual']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--manual verifies one domain');
    });

    it('says how to configure a DNS host before publishing', async () => {
      const run = await cli(['domain', 'publish', '--pending']);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('MAILWRIGHT_DNS_PROVIDER');
    });
  });
}
