import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright domain dns on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect, {
      dns: true,
      env: {
        MAILWRIGHT_MAIL_HOST: 'MX.Mailwright.test.',
        MAILWRIGHT_SPF_INCLUDES: 'include:_spf.relay.test',
        MAILWRIGHT_DMARC_RUA: 'dmarc@reports.test',
        MAILWRIGHT_DMARC_POLICY: 'reject',
      },
    });
    const { cli } = t;

    beforeAll(async () => {
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
    });

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

    it('domain check shows ✘ with a hint per missing record and exits 1, then ✔ once published', async () => {
      const missing = await cli(['domain', 'check', 'example.com']);
      expect(missing.code).toBe(1);
      expect(missing.stdout).toMatch(/✘ +MX +example\.com +missing +.*mx\.mailwright\.test/);
      expect(missing.stdout).toMatch(/✘ 10 record\(s\) to fix\./);

      const plan = await cli(['--json', 'domain', 'dns', 'example.com']);
      t.dns.publish(plan.json.records);
      // The configured SPF include must itself resolve to one valid SPF record.
      t.dns.setRecords('_spf.relay.test', 'TXT', ['v=spf1 ip4:192.0.2.1 -all']);
      const ready = await cli(['domain', 'check', 'example.com']);
      expect(ready.code, ready.stdout + ready.stderr).toBe(0);
      expect(ready.stdout).toContain('✔ Every record is published as planned.');
      const shown = await cli(['--json', 'domain', 'show', 'example.com']);
      expect(shown.json.dns.ready).toBe(true);
    });
  });
}
