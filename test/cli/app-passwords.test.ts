import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { DIALECTS } from '../support/dialects.js';
import { adminWithJosh, cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright mailbox app-password on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect);
    const { cli } = t;

    beforeAll(async () => {
      await adminWithJosh(t.db.store);
    });

    it('adds one shown once, lists it without the password and revokes it', async () => {
      const add = await cli([
        'mailbox',
        'app-password',
        'add',
        'josh@example.com',
        '--label',
        'phone',
      ]);
      expect(add.code, add.stderr).toBe(0);
      const password = /^\s{2}(\S{32})$/m.exec(add.stdout)?.[1];
      expect(password, add.stdout).toBeDefined();
      const { password_hash } = await t.db.store.db
        .selectFrom('mailbox_app_passwords')
        .select('password_hash')
        .executeTakeFirstOrThrow();
      expect(await verifyPassword(password!, password_hash)).toBe(true);

      const list = await cli(['mailbox', 'app-password', 'list', 'josh@example.com']);
      expect(list.stdout).toMatch(/phone\s+\S+\s+never/);
      expect(list.stdout).not.toContain(password);
      const json = await cli(['mailbox', 'app-password', 'list', 'josh@example.com', '--json']);
      const [item] = json.json.items;
      expect(item).toEqual({
        id: expect.any(String),
        label: 'phone',
        createdAt: expect.any(String),
        lastUsedAt: null,
      });

      const revoked = await cli(['mailbox', 'app-password', 'revoke', 'josh@example.com', item.id]);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(
        (await cli(['mailbox', 'app-password', 'list', 'josh@example.com', '--json'])).json,
      ).toEqual({ items: [] });
      const again = await cli(['mailbox', 'app-password', 'revoke', 'josh@example.com', item.id]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('app_password');
    });

    it('refuses a missing label, naming the option', async () => {
      const res = await cli(['mailbox', 'app-password', 'add', 'josh@example.com', '--json']);
      expect(res.code).not.toBe(0);
      expect(res.stdout + res.stderr).toContain('"label"');
    });
  });
}
