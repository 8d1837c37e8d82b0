import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dovecotAuthCacheFlush } from '../../src/mailstack/auth-cache.js';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createAppPassword } from '../../src/services/app-passwords/create-app-password.js';
import { revokeAppPassword } from '../../src/services/app-passwords/revoke-app-password.js';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { bulkDeleteDomains } from '../../src/services/bulk/bulk-delete-domains.js';
import { bulkDeleteMailboxes } from '../../src/services/bulk/bulk-delete-mailboxes.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { deleteMailbox } from '../../src/services/mailboxes/delete-mailbox.js';
import { getMailbox } from '../../src/services/mailboxes/get-mailbox.js';
import { updateMailbox } from '../../src/services/mailboxes/update-mailbox.js';
import { findMailbox, updateMailbox as updateMailboxRow } from '../../src/store/mailboxes.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { imapLogInWorks } from '../support/imap-login.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const DOMAIN = 'cache.example';

/**
 * Dovecot's auth cache (src/mailstack/render.ts) against real logins (imapflow) on each dialect:
 * every change Mailwright makes to a login counts from the very next login, right after a cached
 * success, because the change flushes the cache entry as part of itself.
 */
describe.each(DIALECTS)('the Dovecot auth cache on %s', (dialect) => {
  let stack: MailStack;
  let ctx: ServiceContext;
  let actor: Actor;
  let closeStore: () => Promise<void> = async () => {};

  const canLogIn = (user: string, pass: string) => imapLogInWorks(stack, user, pass);

  const newMailbox = async (localPart: string, domain = DOMAIN) => {
    const created = await createMailbox(ctx, actor, {
      name: 'Cache Person',
      localPart,
      domain,
      password: { generate: true },
      quotaMb: 100,
    });
    return { address: created.mailbox.address, password: created.password! };
  };

  /** A mailbox whose login Dovecot has just cached (two successes: the second from the cache). */
  const cachedMailbox = async (localPart: string, domain = DOMAIN) => {
    const box = await newMailbox(localPart, domain);
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(true);
    expect(await canLogIn(box.address, box.password)).toBe(true);
    return box;
  };

  beforeAll(async () => {
    const { store, url, drop } = await freshStore(dialect);
    closeStore = drop;
    ctx = testContext(store);
    const account = await createAccount(ctx, { name: 'cache', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await setAccountLimits(ctx, {
      account: 'cache',
      changes: { maxMailboxesPerDomain: 30, cooldownSeconds: 0 },
      actor: 'test',
    });
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    stack = await startMailStack(url, `mx.${DOMAIN}`);
    ctx.mailPlane = { flushAuth: dovecotAuthCacheFlush(dovecotConfigFile(stack.settings)) };
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await closeStore();
  }, 60_000);

  it('serves a repeated login from the cache: a change behind its back counts only once flushed', async () => {
    const box = await cachedMailbox('behind');
    // Disabled in the database without going through Mailwright's services: no flush.
    const row = (await findMailbox(ctx.store.db, actor.accountId, box.address))!;
    await updateMailboxRow(ctx.store.db, row.id, { active: 0 });
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(true);
    await ctx.mailPlane!.flushAuth([box.address]);
    expect(await canLogIn(box.address, box.password)).toBe(false);
  });

  it('refuses a disabled mailbox on the next login after a cached success, and takes it back at once', async () => {
    const box = await cachedMailbox('disabled');
    await updateMailbox(ctx, actor, box.address, { active: false });
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(false);
    await updateMailbox(ctx, actor, box.address, { active: true });
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(true);
  });

  it('refuses the old password after a change and takes the new one, after a cached success', async () => {
    const box = await cachedMailbox('rotated');
    const changed = await updateMailbox(ctx, actor, box.address, { password: { generate: true } });
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(false);
    expect(await canLogIn(box.address, changed.password!), stack.logs()).toBe(true);
    expect(await canLogIn(box.address, box.password)).toBe(false);
  });

  it('refuses a wrong password after a cached success, and still takes the right one', async () => {
    const box = await cachedMailbox('wrong');
    expect(await canLogIn(box.address, `${box.password}x`)).toBe(false);
    expect(await canLogIn(box.address, `${box.password}x`)).toBe(false);
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(true);
  });

  it('lets a mailbox log in at once after a refused login for an address that did not exist yet', async () => {
    expect(await canLogIn(`later@${DOMAIN}`, 'not-a-password-yet')).toBe(false);
    const box = await newMailbox('later');
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(true);
  });

  it('refuses a deleted mailbox on the next login after a cached success', async () => {
    const box = await cachedMailbox('deleted');
    await deleteMailbox(ctx, actor, box.address);
    expect(await canLogIn(box.address, box.password), stack.logs()).toBe(false);
  });

  it('refuses mailboxes removed by a bulk delete and by a cascading domain delete', async () => {
    const one = await cachedMailbox('bulk-one');
    const two = await cachedMailbox('bulk-two');
    await bulkDeleteMailboxes(ctx, actor, { addresses: [one.address] });
    await addDomain(ctx, actor, { name: 'gone.example' });
    await verifyDomain(ctx, actor, 'gone.example', { manual: true });
    const onGone = await cachedMailbox('someone', 'gone.example');
    await bulkDeleteDomains(ctx, actor, { names: ['gone.example'], cascade: true });
    await new JobRunner(ctx).runPending();
    expect(await canLogIn(one.address, one.password), stack.logs()).toBe(false);
    expect(await canLogIn(onGone.address, onGone.password), stack.logs()).toBe(false);
    expect(await canLogIn(two.address, two.password)).toBe(true);
  });

  it('refuses a revoked app password from its next login on, cached or not; the rest keep working', async () => {
    const box = await newMailbox('apps');
    const phone = await createAppPassword(ctx, actor, box.address, { label: 'phone' });
    const laptop = await createAppPassword(ctx, actor, box.address, { label: 'laptop' });
    for (const pass of [phone.password, phone.password, laptop.password, box.password]) {
      expect(await canLogIn(box.address, pass), stack.logs()).toBe(true);
    }
    // Someone else's app password, or one with a changed character, logs nobody in.
    const other = await newMailbox('apps-other');
    expect(await canLogIn(other.address, phone.password)).toBe(false);
    const last = phone.password.slice(-1);
    const changed = `${phone.password.slice(0, -1)}${last === 'x' ? 'y' : 'x'}`;
    expect(await canLogIn(box.address, changed)).toBe(false);

    await revokeAppPassword(ctx, actor, box.address, phone.id);
    expect(await canLogIn(box.address, phone.password), stack.logs()).toBe(false);
    expect(await canLogIn(box.address, laptop.password)).toBe(true);
    expect(await canLogIn(box.address, box.password)).toBe(true);
    // Each refusal waits out Dovecot's auth_failure_delay.
  }, 120_000);

  it("refuses a disabled mailbox's app passwords at once, and takes them back when enabled", async () => {
    const box = await newMailbox('apps-off');
    const app = await createAppPassword(ctx, actor, box.address, { label: 'tablet' });
    expect(await canLogIn(box.address, app.password), stack.logs()).toBe(true);
    expect(await canLogIn(box.address, app.password)).toBe(true);
    await updateMailbox(ctx, actor, box.address, { active: false });
    expect(await canLogIn(box.address, app.password), stack.logs()).toBe(false);
    await updateMailbox(ctx, actor, box.address, { active: true });
    expect(await canLogIn(box.address, app.password)).toBe(true);
  }, 120_000);

  it('rolls the change back and fails when Dovecot runs but cannot be told', async () => {
    const box = await cachedMailbox('unflushed');
    const mailPlane = ctx.mailPlane;
    ctx.mailPlane = {
      flushAuth: async () => {
        throw new Error('auth-master: Permission denied');
      },
    };
    try {
      await expect(updateMailbox(ctx, actor, box.address, { active: false })).rejects.toThrow(
        /Permission denied/,
      );
      await expect(deleteMailbox(ctx, actor, box.address)).rejects.toThrow(/Permission denied/);
    } finally {
      ctx.mailPlane = mailPlane;
    }
    expect((await getMailbox(ctx, actor, box.address)).active).toBe(true);
    expect(await canLogIn(box.address, box.password)).toBe(true);
  });

  it('does nothing, and no harm, where no Dovecot runs', async () => {
    await expect(
      dovecotAuthCacheFlush('/nonexistent/dovecot.conf')([`nobody@${DOMAIN}`]),
    ).resolves.toBeUndefined();
  });
});
