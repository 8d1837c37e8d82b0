import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderConfig } from '../../src/mailstack/stack.js';
import { mailPlaneSettings } from '../../src/mailstack/settings.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createAlias } from '../../src/services/aliases/create-alias.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { addSubdomains } from '../../src/services/domains/add-subdomains.js';
import { updateDomain } from '../../src/services/domains/update-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
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
  /** Holds the relay's login: removed with the stack, as the test's own secret. */
  let secrets: string | undefined;
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
    secrets = mailDataDir('relay-login-');
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
    if (secrets) rmSync(secrets, { recursive: true, force: true });
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

/**
 * A domain's own relay (its relayHost) beside the global one, through real Postfix: mail that
 * domain A's mailboxes (and its sub-domain's, which follows A) submit leaves through A's relay,
 * logged in with A's line of the password file; domain B's leaves through the global relay with
 * the global line. Both relays are loopback catchers demanding STARTTLS and AUTH, on one address
 * and two ports, so a login found by host alone would reach the wrong one.
 */
describe.each(DIALECTS)("a domain's own relay beside the global one on %s", (dialect) => {
  const A = 'own-relay.example';
  const B = 'global-relay.example';
  const A_LOGIN = { user: 'a-user', password: 'a-pass' };
  const GLOBAL_LOGIN = { user: 'global-user', password: 'global-pass' };
  let stack: MailStack;
  let aRelay: SmtpCatcher;
  let globalRelay: SmtpCatcher;
  /** Holds the relays' logins: removed with the stack, as the test's own secrets. */
  let secrets: string | undefined;
  let ctx: ServiceContext;
  let actor: Actor;
  const logins: Record<string, { user: string; pass: string }> = {};
  let closeStore: () => Promise<void> = async () => {};

  /** Submission (587) as the mailbox `from`, to an address of the outside world. */
  const submit = async (from: string, to: string, subject: string) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.submission,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
      auth: logins[from]!,
    });
    try {
      await transport.sendMail({ from, to, subject, text: 'Which way?' });
    } finally {
      transport.close();
    }
  };
  const caught = (relay: SmtpCatcher, subject: string) =>
    relay
      .waitFor((m) => m.data.includes(`Subject: ${subject}`))
      .catch((error: Error) => {
        throw new Error(`${error.message} ${JSON.stringify(relay.logins)}\n${stack.logs()}`);
      });
  const subjects = (relay: SmtpCatcher) =>
    relay.messages.map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1]);
  /** Postfix's own record of where each delivery of `from`'s mail went. */
  const deliveriesOf = (queueIds: string[]) =>
    readFileSync(join(stack.settings.dirs.log, 'postfix.log'), 'utf8')
      .split('\n')
      .filter((l) => queueIds.some((id) => l.includes(` ${id}: `)) && / relay=/.test(l));
  const queueIdsFrom = (sender: string) =>
    readFileSync(join(stack.settings.dirs.log, 'postfix.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes(`from=<${sender}>`))
      .map((l) => /: ([0-9A-F]+): from=/.exec(l)?.[1])
      .filter((id): id is string => id !== undefined);

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    closeStore = fresh.drop;
    ctx = testContext(fresh.store);
    const account = await createAccount(ctx, { name: 'relays', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    for (const domain of [A, B]) {
      await addDomain(ctx, actor, { name: domain });
      await verifyDomain(ctx, actor, domain, { manual: true });
    }
    await addSubdomains(ctx, actor, A, { labels: 'sales' });
    for (const address of [`josh@${A}`, `amy@sales.${A}`, `bob@${B}`]) {
      const [localPart, domain] = address.split('@') as [string, string];
      const created = await createMailbox(ctx, actor, {
        name: 'Relay Tester',
        localPart,
        domain,
        password: { generate: true },
        quotaMb: 50,
      });
      logins[address] = { user: address, pass: created.password! };
    }
    aRelay = await startSmtpCatcher({ login: A_LOGIN, tls: certificate('a-relay.test') });
    globalRelay = await startSmtpCatcher({ login: GLOBAL_LOGIN, tls: certificate('relay.test') });
    ctx.domainRelays = [`[127.0.0.1]:${aRelay.port}`];
    await updateDomain(ctx, actor, A, { relayHost: `[127.0.0.1]:${aRelay.port}` });
    secrets = mailDataDir('relay-logins-');
    const passwordFile = join(secrets, 'relay-password');
    writeFileSync(
      passwordFile,
      [
        "# the global relay, then domain A's",
        `[127.0.0.1]:${globalRelay.port} ${GLOBAL_LOGIN.user}:${GLOBAL_LOGIN.password}`,
        `[127.0.0.1]:${aRelay.port} ${A_LOGIN.user}:${A_LOGIN.password}`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    stack = await startMailStack(fresh.url, `mx.${B}`, {
      relayHost: `[127.0.0.1]:${globalRelay.port}`,
      relayPasswordFile: passwordFile,
    });
  }, 90_000);

  afterAll(async () => {
    if (stack) await stack.stop();
    await aRelay?.close();
    await globalRelay?.close();
    await closeStore();
    if (secrets) rmSync(secrets, { recursive: true, force: true });
  }, 60_000);

  it("sends A's mail, and its sub-domain's, to A's relay with A's login, and B's to the global relay", async () => {
    await submit(`josh@${A}`, 'partner@elsewhere.example', 'from A');
    await submit(`amy@sales.${A}`, 'partner@elsewhere.example', 'from sales of A');
    await submit(`bob@${B}`, 'partner@elsewhere.example', 'from B');

    expect(await caught(aRelay, 'from A')).toMatchObject({
      from: `josh@${A}`,
      to: ['partner@elsewhere.example'],
      user: A_LOGIN.user,
      tls: true,
    });
    expect(await caught(aRelay, 'from sales of A')).toMatchObject({
      from: `amy@sales.${A}`,
      user: A_LOGIN.user,
      tls: true,
    });
    expect(await caught(globalRelay, 'from B')).toMatchObject({
      from: `bob@${B}`,
      user: GLOBAL_LOGIN.user,
      tls: true,
    });
    // Each relay got only its own mail, and only its own login was ever offered to it.
    expect(subjects(aRelay).sort()).toEqual(['from A', 'from sales of A']);
    expect(subjects(globalRelay)).toEqual(['from B']);
    expect(aRelay.logins.every((l) => l.user === A_LOGIN.user && l.ok)).toBe(true);
    expect(globalRelay.logins.every((l) => l.user === GLOBAL_LOGIN.user && l.ok)).toBe(true);
    // Postfix's record agrees: A's deliveries went to A's relay's port, B's to the global one.
    const toA = deliveriesOf(queueIdsFrom(`josh@${A}`));
    expect(toA.length).toBeGreaterThan(0);
    for (const line of toA) expect(line).toContain(`relay=127.0.0.1[127.0.0.1]:${aRelay.port}`);
    const toGlobal = deliveriesOf(queueIdsFrom(`bob@${B}`));
    expect(toGlobal.length).toBeGreaterThan(0);
    for (const line of toGlobal) {
      expect(line).toContain(`relay=127.0.0.1[127.0.0.1]:${globalRelay.port}`);
    }
  });

  it("sends A's mail through the global relay once A's relay is removed, with no reload", async () => {
    await updateDomain(ctx, actor, A, { relayHost: null });
    await submit(`josh@${A}`, 'another@elsewhere.example', 'from A, relay removed');
    expect(await caught(globalRelay, 'from A, relay removed')).toMatchObject({
      from: `josh@${A}`,
      user: GLOBAL_LOGIN.user,
      tls: true,
    });
    expect(subjects(aRelay)).not.toContain('from A, relay removed');
  });
});
