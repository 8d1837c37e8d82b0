import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { testContext } from '../support/context.js';
import { DIALECTS } from '../support/dialects.js';
import { cliOnFreshStore } from './run-cli.js';

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
      const ctx = testContext(t.db.store);
      const account = await createAccount(ctx, { name: 'admin', actor: 'test' });
      const actor = { accountId: account.id, name: 'test' };
      await addDomain(ctx, actor, { name: 'example.com' });
      await verifyDomain(ctx, actor, 'example.com', { manual: true });
      await createMailbox(ctx, actor, {
        name: 'Josh Smith',
        localPart: 'josh',
        domain: 'example.com',
        password: { generate: true },
      });
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
