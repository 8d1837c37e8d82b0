import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { runWith } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright domain update --redirect-to/--tracking-cname on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let dns: TestDnsServer;
    let env: Record<string, string>;
    const cli = (args: string[]) => runWith(env, args);

    beforeAll(async () => {
      db = await freshStore(dialect);
      dns = await startDnsServer();
      env = {
        MAILWRIGHT_DNS_SERVERS: dns.address,
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailwright-cli-')),
        MAILWRIGHT_MAIL_HOST: 'mx.mailwright.test',
        MAILWRIGHT_WEB_IPV4: '127.0.0.1',
        MAILWRIGHT_WEB_CNAME: 'web.mailwright.test',
      };
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
    });
    afterAll(async () => {
      await dns?.close();
      await db?.drop();
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
