import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright domain update --redirect-to/--tracking-cname on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect, {
      dns: true,
      env: {
        MAILWRIGHT_MAIL_HOST: 'mx.mailwright.test',
        MAILWRIGHT_WEB_IPV4: '127.0.0.1',
        MAILWRIGHT_WEB_CNAME: 'web.mailwright.test',
      },
    });
    const { cli } = t;

    beforeAll(async () => {
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
    });

    it('sets both, and the zone fragment carries their records', async () => {
      const run = await cli([
        'domain',
        'update',
        'example.com',
        '--redirect-to',
        'https://www.example.net/',
        '--tracking-cname',
        'links.esp.test',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('redirects to https://www.example.net/');
      expect(run.stdout).toContain('track.example.com CNAME links.esp.test');
      const zone = await cli(['domain', 'dns', 'example.com', '--zone']);
      expect(zone.stdout).toContain('\nexample.com. 3600 IN A 127.0.0.1\n');
      expect(zone.stdout).toContain('\nwww.example.com. 3600 IN CNAME web.mailwright.test.\n');
      expect(zone.stdout).toContain('\ntrack.example.com. 3600 IN CNAME links.esp.test.\n');
    });

    it('refuses an http URL naming the flag, and removes a setting with ""', async () => {
      const bad = await cli(['domain', 'update', 'example.com', '--redirect-to', 'http://x.test/']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/redirectTo.*https/s);
      const cleared = await cli(['--json', 'domain', 'update', 'example.com', '--redirect-to', '']);
      expect(cleared.code, cleared.stderr).toBe(0);
      expect(cleared.json).toMatchObject({ redirectTo: null, trackingCname: 'links.esp.test' });
    });
  });
}
