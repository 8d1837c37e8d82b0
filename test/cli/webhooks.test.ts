import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { testContext } from '../support/context.js';
import { DIALECTS } from '../support/dialects.js';
import { cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright webhook on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect);
    const { cli } = t;

    beforeAll(async () => {
      await createAccount(testContext(t.db.store), { name: 'admin', actor: 'test' });
    });

    it('adds an endpoint with its secret shown once, lists and removes it', async () => {
      const add = await cli([
        'webhook',
        'add',
        'https://hooks.example.com/in',
        '--event',
        'job.finished',
        '--event',
        'domain.verified',
        '--json',
      ]);
      expect(add.code, add.stderr).toBe(0);
      expect(add.json).toMatchObject({
        url: 'https://hooks.example.com/in',
        events: ['job.finished', 'domain.verified'],
        secret: expect.stringMatching(/^whsec_/),
      });
      const list = await cli(['webhook', 'list']);
      expect(list.stdout).toContain('https://hooks.example.com/in');
      expect(list.stdout).not.toContain(add.json.secret);
      const removed = await cli(['webhook', 'remove', add.json.id]);
      expect(removed.code, removed.stderr).toBe(0);
      expect((await cli(['webhook', 'list', '--json'])).json.items).toEqual([]);
    });

    it('takes its own secret from standard input and never prints it', async () => {
      const secret = 'a-secret-the-receiver-chose-0123456789';
      const add = await cli(
        [
          'webhook',
          'add',
          'https://hooks.example.com/own',
          '--event',
          'job.finished',
          '--secret-stdin',
        ],
        { stdin: `${secret}\n` },
      );
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toContain('signed with the secret you gave');
      expect(add.stdout + add.stderr).not.toContain(secret);
      const short = await cli(
        [
          'webhook',
          'add',
          'https://hooks.example.com/x',
          '--event',
          'job.finished',
          '--secret-stdin',
          '--json',
        ],
        { stdin: 'short\n' },
      );
      expect(short.code).not.toBe(0);
      expect(short.stdout + short.stderr).toContain('too_short');
    });

    it('refuses a private target and an unknown event, naming the field', async () => {
      const res = await cli(['webhook', 'add', 'https://10.0.0.1/', '--event', 'nope', '--json']);
      expect(res.code).not.toBe(0);
      expect(res.stdout + res.stderr).toContain('private_address');
      expect(res.stdout + res.stderr).toContain('unknown_event');
    });
  });
}
