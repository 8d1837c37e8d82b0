import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { cliOnFreshStore } from './run-cli.js';

/**
 * `mailwright cert web|issue` refusing a domain's web hosts before any CA is asked (none is
 * configured here: a refusal that reached it would say so instead), and the doctor's help.
 * Issuing from a real CA: test/certificates/acme.test.ts.
 */
for (const dialect of DIALECTS) {
  describe(`mailwright cert web on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect, {
      env: { MAILWRIGHT_MAIL_HOST: 'mx.mailwright.test', MAILWRIGHT_WEB_IPV4: '127.0.0.1' },
    });
    const { cli } = t;

    beforeAll(async () => {
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
      for (const name of ['example.com', 'pending.example']) {
        expect((await cli(['domain', 'add', name])).code).toBe(0);
      }
      expect((await cli(['domain', 'verify', 'example.com', '--manual'])).code).toBe(0);
    });

    it('refuses a verified domain without a redirect, naming redirectTo and the fix', async () => {
      for (const args of [
        ['cert', 'web', 'example.com'],
        ['cert', 'issue', 'www.example.com'],
        ['cert', 'issue', 'example.com'],
      ]) {
        const run = await cli(args);
        expect(run.code, args.join(' ')).toBe(3);
        expect(run.stderr).toMatch(
          /example\.com has no web redirect \(redirectTo\), so this host answers no web request for example\.com and www\.example\.com .*mailwright domain update example\.com --redirect-to https:/,
        );
      }
      const json = await cli(['--json', 'cert', 'web', 'example.com']);
      expect(json.json).toMatchObject({
        status: 409,
        code: 'no_web_redirect',
        errors: [{ field: 'redirectTo', code: 'no_web_redirect' }],
      });
    });

    it('refuses a domain not verified, and a name of no domain', async () => {
      const pending = await cli(['cert', 'web', 'pending.example']);
      expect(pending.code).toBe(3);
      expect(pending.stderr).toMatch(/pending\.example is not verified.*mailwright domain verify/);
      const unknown = await cli(['cert', 'web', 'nowhere.example']);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/No domain "nowhere\.example"/);
    });

    it('says the doctor reads the mail plane’s addresses and ports from the env file', async () => {
      const help = await cli(['doctor', '--help']);
      expect(help.stdout).toMatch(/come from the env file/);
      expect(help.stdout).not.toMatch(/give the mail plane/);
    });
  });
}
