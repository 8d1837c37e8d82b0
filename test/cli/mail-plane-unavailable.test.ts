import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { adminWithJosh, cliOnFreshStore } from './run-cli.js';

for (const dialect of DIALECTS) {
  describe(`mailwright when Dovecot cannot be told of a change, on ${dialect}`, () => {
    const t = cliOnFreshStore(dialect);
    const { cli } = t;
    /** A Dovecot configuration doveadm cannot read: the flush fails, not for want of a Dovecot. */
    const dovecot = () => {
      const file = join(t.env.MAILWRIGHT_DATA_DIR!, 'broken-dovecot.conf');
      writeFileSync(file, 'not a dovecot configuration\n');
      return { env: { MAILWRIGHT_DOVECOT_CONFIG: file } };
    };
    const active = async () =>
      (
        await t.db.store.db
          .selectFrom('mailboxes')
          .select('active')
          .where('address', '=', 'josh@example.com')
          .executeTakeFirstOrThrow()
      ).active;

    beforeAll(async () => {
      await adminWithJosh(t.db.store);
    });

    it('exits 5 with the reason and leaves the mailbox as it was', async () => {
      const run = await cli(['mailbox', 'update', 'josh@example.com', '--disable'], dovecot());
      expect(run.code, run.stderr).toBe(5);
      expect(run.stderr).toMatch(
        /^error: Dovecot could not be told of this change, so nothing was changed: retry once Dovecot answers\. .*josh@example\.com/,
      );
      expect(run.stdout).toBe('');
      expect(Boolean(await active())).toBe(true);
    });

    it('prints the API’s problem with --json', async () => {
      const run = await cli(
        ['--json', 'mailbox', 'update', 'josh@example.com', '--disable'],
        dovecot(),
      );
      expect(run.code).toBe(5);
      expect(run.json).toMatchObject({
        status: 503,
        title: 'Service unavailable',
        code: 'mail_plane_unavailable',
        saved: false,
      });
      expect(Boolean(await active())).toBe(true);
    });
  });
}
