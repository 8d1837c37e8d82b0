import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderConfig } from '../../src/mailstack/stack.js';
import { mailPlaneSettings } from '../../src/mailstack/settings.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createAlias } from '../../src/services/aliases/create-alias.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { mailDataDir, startMailStack, type MailStack } from '../support/mail-stack.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import { certificate } from '../support/tls.js';

const DOMAIN = 'relayed.example';
const LOGIN = { user: 'relay-user', password: 'relay-pass:with-colon' };

/**
 * MAILWRIGHT_RELAY_HOST with MAILWRIGHT_RELAY_PASSWORD_FILE through real Postfix: the relay (a
 * loopback catcher that takes mail only after STARTTLS and AUTH) gets every outbound message,
 * and a relay that refuses the login gets nothing while the mail waits in the queue.
 */
describe.each(DIALECTS)('outbound mail through a relay with a login on %s', (dialect) => {
  let stack: MailStack;
  let relay: SmtpCatcher;
  let ctx: ServiceContext;
  let actor: Actor;
  let passwordFile: string;
  let closeStore: () => Promise<void> = async () => {};

  const send = async (to: string, subject: string) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.smtp,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
    });
    try {
      await transport.sendMail({ from: 'someone@remote.test', to, subject, text: 'Hello.' });
    } finally {
      transport.close();
    }
  };

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    closeStore = fresh.drop;
    ctx = testContext(fresh.store);
    const account = await createAccount(ctx, { name: 'relay', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    relay = await startSmtpCatcher({ login: LOGIN, tls: certificate('relay.test') });
    const secrets = mailDataDir('relay-login-');
    passwordFile = join(secrets, 'relay-password');
    writeFileSync(passwordFile, `# the relay's login\n${LOGIN.user}:${LOGIN.password}\n`, {
      mode: 0o600,
    });
    stack = await startMailStack(fresh.url, `mx.${DOMAIN}`, {
      relayHost: `[127.0.0.1]:${relay.port}`,
      relayPasswordFile: passwordFile,
      // Submission's sending limits play no part in relaying what port 25 received.
      policyServer: false,
    });
  }, 60_000);

  afterAll(async () => {
    if (stack) await stack.stop();
    await relay?.close();
    await closeStore();
  }, 60_000);

  it('sends outbound mail to the relay, logged in over STARTTLS, and to nothing else', async () => {
    await createAlias(ctx, actor, { address: `out@${DOMAIN}`, targets: ['out@partner.example'] });
    await send(`out@${DOMAIN}`, 'through the relay');
    const caught = await relay
      .waitFor((m) => m.data.includes('Subject: through the relay'))
      .catch((error: Error) => {
        throw new Error(`${error.message} ${JSON.stringify(relay.logins)}\n${stack.logs()}`);
      });
    expect(caught).toMatchObject({ to: ['out@partner.example'], user: LOGIN.user, tls: true });
    expect(relay.logins).toEqual([{ user: LOGIN.user, ok: true }]);
    // Postfix's own record: every delivery it made went to the relay.
    const deliveries = readFileSync(join(stack.settings.dirs.log, 'postfix.log'), 'utf8')
      .split('\n')
      .filter((l) => / postfix-mailwright\/smtp\[\d+\]: .* relay=/.test(l));
    expect(deliveries.length).toBeGreaterThan(0);
    for (const line of deliveries)
      expect(line).toContain(`relay=127.0.0.1[127.0.0.1]:${relay.port}`);
    // Postfix's copy of the login is root's alone.
    const copy = join(stack.settings.dirs.config, 'postfix', 'relay_passwd');
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    expect(statSync(copy).uid).toBe(0);
  });

  it('refuses a password file that other users can read, naming the fix', async () => {
    chmodSync(passwordFile, 0o644);
    try {
      await expect(
        renderConfig(stack.settings, join(stack.settings.dirs.base, 'check')),
      ).rejects.toThrow(
        `The relay password file ${passwordFile} can be read by other users (mode 0644); make it readable by its owner only: chmod 600 ${passwordFile}.`,
      );
    } finally {
      chmodSync(passwordFile, 0o600);
    }
  });

  it('refuses a password file without a user:password line', async () => {
    const s = mailPlaneSettings({
      ...stack.env,
      databaseUrl: stack.env.MAILWRIGHT_DATABASE_URL!,
      dataDir: stack.env.MAILWRIGHT_DATA_DIR!,
      mailHost: `mx.${DOMAIN}`,
      relayHost: `[127.0.0.1]:${relay.port}`,
      relayPasswordFile: `${passwordFile}-bad`,
    });
    writeFileSync(`${passwordFile}-bad`, 'just-a-password\n', { mode: 0o600 });
    await expect(renderConfig(s, join(s.dirs.base, 'check'))).rejects.toThrow(
      /line 1: the login is not user:password\. It must hold one line per relay, \[host\]:port user:password/,
    );
  });
});
