import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright domain update --relay-host on ${dialect}`, () => {
    const { cli } = cliOnFreshStore(dialect, {
      env: {
        MAILWRIGHT_MAIL_HOST: 'mx.mailwright.test',
        MAILWRIGHT_DOMAIN_RELAYS: '[smtp.relay.test]:587',
      },
    });

    beforeAll(async () => {
      expect((await cli(['account', 'create', 'admin'])).code).toBe(0);
      expect((await cli(['domain', 'add', 'example.com'])).code).toBe(0);
    });

    it('sets the relay, refuses one without [host]:port naming the field, and removes it with ""', async () => {
      const set = await cli([
        'domain',
        'update',
        'example.com',
        '--relay-host',
        '[Smtp.Relay.test]:587',
      ]);
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toContain('leaves through [smtp.relay.test]:587');

      const bad = await cli(['domain', 'update', 'example.com', '--relay-host', 'smtp.relay.test']);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/relayHost.*\[host\]:port/s);
      const kept = await cli(['domain', 'show', 'example.com']);
      expect(kept.stdout).toMatch(/Relay:\s+\[smtp\.relay\.test\]:587/);

      const cleared = await cli(['--json', 'domain', 'update', 'example.com', '--relay-host', '']);
      expect(cleared.code, cleared.stderr).toBe(0);
      expect(cleared.json).toMatchObject({ relayHost: null });
    });
  });
}
