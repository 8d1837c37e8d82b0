import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailPlaneSettings } from '../../src/mailstack/settings.js';
import { imapLogInWorks } from '../support/imap-login.js';
import { status, sync } from '../../src/mailstack/stack.js';
import { rotateDkim } from '../../src/services/dns-records/rotate-dkim.js';
import { findDomain, saveDnsCheck } from '../../src/store/domains.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { addSubdomains } from '../../src/services/domains/add-subdomains.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createAppPassword } from '../../src/services/app-passwords/create-app-password.js';
import { listAppPasswords } from '../../src/services/app-passwords/list-app-passwords.js';
import { revokeAppPassword } from '../../src/services/app-passwords/revoke-app-password.js';
import { createBulkMailboxes } from '../../src/services/bulk/create-bulk-mailboxes.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { deleteMailbox } from '../../src/services/mailboxes/delete-mailbox.js';
import { downloadCredentials } from '../../src/services/jobs/download-credentials.js';
import { getDnsPlan } from '../../src/services/dns-records/get-dns-plan.js';
import { getMailbox } from '../../src/services/mailboxes/get-mailbox.js';
import { dovecotAuthCacheFlush } from '../../src/mailstack/auth-cache.js';
import { dovecotQuotaUsage } from '../../src/mailstack/quota-usage.js';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { MESSAGE_SIZE_LIMIT } from '../../src/core/message-size.js';
import { QUOTA_WATCH_MARGIN_MB } from '../../src/core/quota-watch.js';
import { setQuotaNearlyFull } from '../../src/store/mailboxes.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { updateMailbox } from '../../src/services/mailboxes/update-mailbox.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { testContext } from '../support/context.js';
import { runWith } from '../cli/run-cli.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const HOST = '127.0.0.1';
const DOMAIN = 'e2e.example';
const SUBDOMAIN = `sales.${DOMAIN}`;
const ADDRESS = `josh@${DOMAIN}`;
const SENDER = 'sender@remote.test';

/** What an SMTP client was told: the reply code of the failing command, or 250 when sent. */
interface SmtpOutcome {
  code: number;
  response: string;
}

/**
 * The real servers, started by `up` on random ports in a temporary data dir, over a database
 * Mailwright's own services filled: mail in over SMTP (nodemailer), LMTP delivery, IMAP login
 * (imapflow) with the generated passwords (argon2id hashes made by Mailwright), on each dialect.
 * One stack per dialect, shared by every test. Needs root, as the servers do; a machine without
 * Postfix and Dovecot fails here rather than skipping.
 */
describe.each(DIALECTS)('the mail plane end to end on %s', (dialect) => {
  let stack: MailStack;
  let settings: MailPlaneSettings;
  let env: Record<string, string>;
  let ctx: ServiceContext;
  let actor: Actor;
  let password: string;
  let closeStore: () => Promise<void> = async () => {};

  const logs = (): string => stack.logs();

  /** One message through nodemailer to `port`; a refusal is an outcome, not a throw. */
  const sendThrough = async (
    port: number,
    auth: { user: string; pass: string } | undefined,
    mail: { from: string; to: string; subject: string; text: string; idDomain: string },
  ): Promise<SmtpOutcome> => {
    const transport = nodemailer.createTransport({
      host: HOST,
      port,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
      ...(auth ? { auth } : {}),
    });
    try {
      const { idDomain, ...message } = mail;
      const info = await transport.sendMail({
        ...message,
        messageId: `<${mail.subject.replace(/\W+/g, '-')}@${idDomain}>`,
      });
      return { code: 250, response: String(info.response) };
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; message: string };
      return { code: e.responseCode ?? 0, response: e.response ?? e.message };
    } finally {
      transport.close();
    }
  };

  /** Inbound: a stranger's server delivering to the SMTP port. */
  const send = (to: string, subject: string, text = 'Hello.'): Promise<SmtpOutcome> =>
    sendThrough(settings.ports.smtp, undefined, {
      from: `Sender <${SENDER}>`,
      to,
      subject,
      text,
      idDomain: 'remote.test',
    });

  /** Through the submission port, logged in as `auth.user`, with `from` as the envelope sender. */
  const submit = (
    auth: { user: string; pass: string } | undefined,
    from: string,
    to: string,
    subject: string,
  ): Promise<SmtpOutcome> =>
    sendThrough(settings.ports.submission, auth, {
      from,
      to,
      subject,
      text: 'Sent through submission.',
      idDomain: DOMAIN,
    });

  /**
   * MAIL FROM with a declared SIZE (nodemailer's transport never declares one; its
   * SMTPConnection does when given `envelope.size`), then RCPT and, when accepted, the message.
   */
  const sendSized = async (to: string, size: number, message: string): Promise<SmtpOutcome> => {
    const connection = new SMTPConnection({
      host: HOST,
      port: settings.ports.smtp,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
    });
    connection.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        connection.once('error', reject);
        connection.connect(() => resolve());
      });
      return await new Promise<SmtpOutcome>((resolve) =>
        connection.send({ from: SENDER, to: [to], size }, message, (err, info) =>
          resolve(
            err
              ? {
                  code: (err as { responseCode?: number }).responseCode ?? 0,
                  response: (err as { response?: string }).response ?? err.message,
                }
              : { code: 250, response: info.response },
          ),
        ),
      );
    } finally {
      connection.quit();
      connection.close();
    }
  };

  const imapClient = (user: string, pass: string) => {
    const client = new ImapFlow({
      host: HOST,
      port: settings.ports.imap,
      secure: false,
      logger: false,
      auth: { user, pass },
    });
    client.on('error', () => undefined);
    return client;
  };

  /** Whether the login succeeds (and then logs out). */
  const canLogIn = (user: string, pass: string) => imapLogInWorks({ settings }, user, pass);

  /** Logs in and returns the raw messages of INBOX whose subject is `subject`. */
  const inboxMessages = async (user: string, pass: string, subject: string): Promise<string[]> => {
    const client = imapClient(user, pass);
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const found: string[] = [];
        const uids = await client.search({ subject }, { uid: true });
        if (uids && uids.length > 0) {
          for await (const m of client.fetch(uids, { source: true }, { uid: true })) {
            if (m.source) found.push(m.source.toString('utf8'));
          }
        }
        return found;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };

  /** Waits until the maildir of `address` has a new message whose subject is `subject`. */
  const delivered = async (address: string, subject: string): Promise<string> => {
    const newDir = stack.newMailDir(address);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (existsSync(newDir)) {
        for (const f of readdirSync(newDir)) {
          const text = readFileSync(join(newDir, f), 'utf8');
          if (text.includes(`Subject: ${subject}`)) return text;
        }
      }
      if (Date.now() > deadline) throw new Error(`not delivered to ${newDir}\n${logs()}`);
      await sleep(200);
    }
  };

  const waitForEmptyQueue = async (): Promise<string> => {
    const deadline = Date.now() + 15_000;
    let listing = await stack.queue();
    while (!/Mail queue is empty/.test(listing) && Date.now() < deadline) {
      await sleep(250);
      listing = await stack.queue();
    }
    return listing;
  };

  const newMailbox = async (
    localPart: string,
    opts: { domain?: string; quotaMb?: number } = {},
  ) => {
    const created = await createMailbox(ctx, actor, {
      name: 'Test Person',
      localPart,
      domain: opts.domain ?? DOMAIN,
      password: { generate: true },
      // Small quotas: every test's mailboxes share the domain's 10 GB pool.
      quotaMb: opts.quotaMb ?? 100,
    });
    return { address: created.mailbox.address, password: created.password! };
  };

  beforeAll(async () => {
    const { store, url, drop } = await freshStore(dialect);
    closeStore = drop;
    ctx = testContext(store);
    const account = await createAccount(ctx, { name: 'e2e', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    // Every test adds mailboxes to one domain; the product's default of 10 is too few here.
    await setAccountLimits(ctx, {
      account: 'e2e',
      changes: { maxMailboxesPerDomain: 30 },
      actor: 'test',
    });
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    const created = await createMailbox(ctx, actor, {
      name: 'Josh Smith',
      localPart: 'josh',
      domain: DOMAIN,
      password: { generate: true },
    });
    password = created.password!;

    stack = await startMailStack(url, 'mx.e2e.example', {
      keys: await signingKeys(ctx),
      postmaster: ADDRESS,
    });
    settings = stack.settings;
    env = stack.env;
    ctx.mailboxUsage = dovecotQuotaUsage(dovecotConfigFile(settings));
    ctx.mailPlane = { flushAuth: dovecotAuthCacheFlush(dovecotConfigFile(settings)) };
  }, 60_000);

  afterAll(async () => {
    if (stack) {
      const after = await stack.stop();
      expect(after.postfix.running || after.dovecot.running || after.opendkim.running).toBe(false);
    }
    await closeStore();
  }, 60_000);

  it('reports the servers running, on the documented layout, and the signing keys accepted', async () => {
    const s = await status(settings);
    expect(s.postfix.running, logs()).toBe(true);
    expect(s.dovecot.running, logs()).toBe(true);
    expect(s.opendkim.running, logs()).toBe(true);
    expect(s.policy.running, logs()).toBe(true);
    // docs/deployment.md §3: the data dir belongs to the API's unprivileged account, which
    // made OpenDKIM refuse keys kept inside it (every submission 451 4.7.1).
    const dataDir = statSync(env.MAILWRIGHT_DATA_DIR!);
    expect(dataDir.uid).not.toBe(0);
    expect(dataDir.mode & 0o777).toBe(0o751);
    expect(s.signingKeys).toEqual({ directory: settings.dirs.dkimKeys, problem: null });
    const cli = await runWith(env, ['--json', 'mailstack', 'status']);
    expect(cli.json).toEqual(s);
  });

  it('takes a message for the mailbox and delivers it to its maildir', async () => {
    const sent = await send(
      ADDRESS,
      'hello from the e2e test',
      'First line.\n.A line starting with a dot.\n',
    );
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(250);
    expect(await delivered(ADDRESS, 'hello from the e2e test')).toContain('First line.');
  });

  it('lets the mailbox log in over IMAP with its generated password and read the message', async () => {
    const [message] = await inboxMessages(ADDRESS, password, 'hello from the e2e test');
    expect(message, logs()).toContain('Subject: hello from the e2e test');
    expect(message).toContain('\r\n.A line starting with a dot.\r\n');
  });

  it('refuses a wrong password', async () => {
    expect(await canLogIn(ADDRESS, `${password}x`)).toBe(false);
  });

  it('delivers postmaster@ and abuse@ of every hostname to the postmaster, unless a mailbox has the name', async () => {
    const { created } = await addSubdomains(ctx, actor, DOMAIN, { labels: 'ops' });
    const sub = created[0]!.name;
    for (const to of [`postmaster@${DOMAIN}`, `abuse@${sub}`]) {
      const sent = await send(to, `role mail to ${to}`);
      expect(sent.code, `${to}: ${sent.response}\n${logs()}`).toBe(250);
      expect(await delivered(ADDRESS, `role mail to ${to}`)).toContain(`To: ${to}`);
    }
    // A real mailbox of that name takes its own mail.
    const own = await newMailbox('abuse', { domain: sub });
    expect((await send(own.address, 'to the abuse desk')).code).toBe(250);
    await delivered(own.address, 'to the abuse desk');
    // Other names are not aliases.
    expect((await send(`hostmaster@${DOMAIN}`, 'no such role')).code).toBe(550);
  });

  it('refuses an unknown recipient at RCPT and queues no bounce for it', async () => {
    const sent = await send(`nobody@${DOMAIN}`, 'to nobody');
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(550);
    expect(sent.response).toMatch(/^550 5\.1\.1 /);
    expect(await waitForEmptyQueue()).toMatch(/Mail queue is empty/);
    expect(readFileSync(join(settings.dirs.log, 'postfix.log'), 'utf8')).not.toMatch(
      /sender non-delivery notification/,
    );
  });

  it('relays for nobody on port 25, not even a client connecting from 127.0.0.1', async () => {
    // What a load balancer or a container runtime's port-forward makes of every client.
    const sent = await send('someone@elsewhere.example', 'open relay probe');
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(554);
    expect(sent.response).toMatch(/Relay access denied/);
    expect(await waitForEmptyQueue()).toMatch(/Mail queue is empty/);
  });

  it('delivers to every mailbox of a bulk batch and logs each in with its CSV password', async () => {
    const { job } = await createBulkMailboxes(ctx, actor, {
      name: 'Bulk Person',
      domain: DOMAIN,
      count: 5,
      password: { generate: true },
    });
    await new JobRunner(ctx).runPending();
    const csv = await downloadCredentials(ctx, actor, job.id);
    const rows = parse(csv, { columns: true }) as { email: string; password: string }[];
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const sent = await send(row.email, `bulk to ${row.email}`);
      expect(sent.code, `${row.email}: ${sent.response}\n${logs()}`).toBe(250);
    }
    for (const row of rows) {
      await delivered(row.email, `bulk to ${row.email}`);
      const messages = await inboxMessages(row.email, row.password, `bulk to ${row.email}`);
      expect(messages, `${row.email}\n${logs()}`).toHaveLength(1);
    }
  });

  it('delivers to a mailbox on a sub-domain', async () => {
    const { created } = await addSubdomains(ctx, actor, DOMAIN, { labels: 'sales' });
    expect(created.map((d) => d.name)).toEqual([SUBDOMAIN]);
    const box = await newMailbox('anna', { domain: SUBDOMAIN });
    const sent = await send(box.address, 'hello sub-domain');
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(250);
    await delivered(box.address, 'hello sub-domain');
    expect(await inboxMessages(box.address, box.password, 'hello sub-domain')).toHaveLength(1);
  });

  it('refuses a disabled mailbox at login and at RCPT at once', async () => {
    const box = await newMailbox('disabled');
    expect(await canLogIn(box.address, box.password)).toBe(true);
    expect((await send(box.address, 'before disabling')).code).toBe(250);
    await updateMailbox(ctx, actor, box.address, { active: false });
    expect(await canLogIn(box.address, box.password), logs()).toBe(false);
    const sent = await send(box.address, 'after disabling');
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(550);
  });

  it('takes a new password at once and refuses the old one', async () => {
    const box = await newMailbox('rotated');
    expect(await canLogIn(box.address, box.password)).toBe(true);
    const changed = await updateMailbox(ctx, actor, box.address, {
      password: { generate: true },
    });
    expect(changed.password).toBeTruthy();
    expect(await canLogIn(box.address, box.password), logs()).toBe(false);
    expect(await canLogIn(box.address, changed.password!), logs()).toBe(true);
  });

  it('refuses a deleted mailbox at RCPT', async () => {
    const box = await newMailbox('deleted');
    expect((await send(box.address, 'before deleting')).code).toBe(250);
    await deleteMailbox(ctx, actor, box.address);
    const sent = await send(box.address, 'after deleting');
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(550);
    expect(await canLogIn(box.address, box.password)).toBe(false);
  });

  it('refuses at RCPT a declared SIZE that would exceed the quota, takes one that fits, and follows a quota change at once', async () => {
    const box = await newMailbox('quota', { quotaMb: 10 });
    // 9 MiB fits in 10 MiB.
    const body = `${'x'.repeat(998)}\r\n`.repeat(9 * 1024);
    const big = [
      `From: <${SENDER}>`,
      `To: <${box.address}>`,
      'Subject: fills the mailbox',
      'Message-ID: <quota-1@remote.test>',
      '',
      body,
    ].join('\r\n');
    const fits = await sendSized(box.address, big.length, big);
    expect(fits.code, `${fits.response}\n${logs()}`).toBe(250);
    await delivered(box.address, 'fills the mailbox');
    const { usedMb } = await getMailbox(ctx, actor, box.address);
    expect(usedMb, logs()).toBeCloseTo(big.length / 1024 / 1024, 1);

    const small = `From: <${SENDER}>\r\nTo: <${box.address}>\r\nSubject: too much\r\n\r\nHi.\r\n`;
    // 9 MiB used + 2 MiB declared would exceed 10 MiB: refused, with no grace (quota_grace = 0).
    const over = await sendSized(box.address, 2 * 1024 * 1024, small);
    expect(over.code, `${over.response}\n${logs()}`).toBeOneOf([552, 452]);
    expect(over.response).toMatch(/Mailbox is full/);

    // A larger quota counts from the next message on: the change flushed the cached userdb entry.
    await updateMailbox(ctx, actor, box.address, { quotaMb: 20 });
    const fitsNow = await sendSized(box.address, 2 * 1024 * 1024, small);
    expect(fitsNow.code, `${fitsNow.response}\n${logs()}`).toBe(250);
  });

  it('asks quota-status at RCPT only for a mailbox one message could overfill, as Dovecot reports it crossing the mark', async () => {
    // Watched from 10 MiB in use: the quota less the largest message Postfix accepts.
    const box = await newMailbox('watched', { quotaMb: QUOTA_WATCH_MARGIN_MB + 10 });
    const nearlyFull = async () =>
      (
        await ctx.store.db
          .selectFrom('mailboxes')
          .select('quota_nearly_full')
          .where('address', '=', box.address)
          .executeTakeFirstOrThrow()
      ).quota_nearly_full;
    const becomes = async (expected: number) => {
      const deadline = Date.now() + 10_000;
      while ((await nearlyFull()) !== expected && Date.now() < deadline) await sleep(100);
      expect(await nearlyFull(), logs()).toBe(expected);
    };
    const message = (subject: string, bodyKib: number) =>
      [
        `From: <${SENDER}>`,
        `To: <${box.address}>`,
        `Subject: ${subject}`,
        '',
        `${'x'.repeat(1022)}\r\n`.repeat(bodyKib),
      ].join('\r\n');
    const largest = (subject: string) =>
      sendSized(box.address, MESSAGE_SIZE_LIMIT, message(subject, 1));
    expect(await nearlyFull()).toBe(0);

    // 11 MiB takes it past the mark: Dovecot's quota warning reaches the policy service.
    const big = message('past the mark', 11 * 1024);
    expect((await sendSized(box.address, big.length, big)).code, logs()).toBe(250);
    await delivered(box.address, 'past the mark');
    await becomes(1);
    const refused = await largest('no room left');
    expect(refused.code, `${refused.response}\n${logs()}`).toBeOneOf([552, 452]);
    expect(refused.response).toMatch(/Mailbox is full/);
    // The mark alone decides whether quota-status is asked: recorded below it, the same
    // declared size passes RCPT (LMTP, checking the quota again, would refuse that much data).
    await setQuotaNearlyFull(ctx.store.db, box.address, false);
    expect((await largest('not asked')).code, logs()).toBe(250);
    await setQuotaNearlyFull(ctx.store.db, box.address, true);

    // Expunged over IMAP, the mailbox drops below the mark and is no longer asked about.
    const client = imapClient(box.address, box.password);
    await client.connect();
    try {
      await client.mailboxOpen('INBOX');
      expect(await client.messageDelete({ subject: 'past the mark' })).toBe(true);
    } finally {
      await client.logout();
    }
    await becomes(0);

    // A quota change moves the mark: the mail plane's count places the mailbox against it.
    await updateMailbox(ctx, actor, box.address, { quotaMb: QUOTA_WATCH_MARGIN_MB });
    expect(await nearlyFull()).toBe(1);
    await updateMailbox(ctx, actor, box.address, { quotaMb: QUOTA_WATCH_MARGIN_MB + 10 });
    expect(await nearlyFull()).toBe(0);
  });

  /** Each DKIM signature of a delivered message as a receiver sees it, keys from our DNS plan. */
  const verifySignatures = async (message: string) => {
    const plan = await getDnsPlan(ctx, actor, DOMAIN);
    const resolver = async (name: string, type: string) => {
      const found = plan.records.filter(
        (r) => r.type === type && r.host === name.toLowerCase().replace(/\.$/, ''),
      );
      if (found.length === 0) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      return found.map((r) => [r.value]);
    };
    const { results } = await dkimVerify(Buffer.from(message.replace(/\r?\n/g, '\r\n')), {
      resolver,
    });
    return results.map((r) => `${r.signingDomain} ${r.selector} ${r.status.result}`).sort();
  };

  it('sends through submission as itself, signed with a DKIM signature that verifies against the planned key', async () => {
    const reader = await newMailbox('reader');
    const sent = await submit({ user: ADDRESS, pass: password }, ADDRESS, reader.address, 'signed');
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(250);
    const message = await delivered(reader.address, 'signed');
    expect(message).toMatch(/^DKIM-Signature: .*d=e2e\.example;/m);
    const [rsa] = await signingKeys(ctx);
    expect(await verifySignatures(message), logs()).toEqual([`${DOMAIN} ${rsa!.selector} pass`]);
  });

  it('signs with a rotated RSA key once its record is checked and synced, and never with Ed25519', async () => {
    // Hostnames added since `up` (the sub-domain test's) get their keys first.
    await sync(settings, await signingKeys(ctx));
    const [before] = await signingKeys(ctx);
    const rotated = await rotateDkim(ctx, actor, DOMAIN);
    await rotateDkim(ctx, actor, DOMAIN, { algorithm: 'ed25519' });
    // Not checked yet: the signer keeps the old selector.
    expect(await sync(settings, await signingKeys(ctx))).toEqual({ changed: false });
    const domain = (await findDomain(ctx.store.db, actor.accountId, DOMAIN))!;
    // What a live check that found every record would store (the DNS tests cover the check).
    await saveDnsCheck(ctx.store.db, domain.id, { at: new Date().toISOString(), failing: [] });
    expect(await sync(settings, await signingKeys(ctx))).toEqual({ changed: true });
    expect(await sync(settings, await signingKeys(ctx))).toEqual({ changed: false });

    const reader = await newMailbox('reader2');
    // OpenDKIM reloads on SIGUSR1 asynchronously; a message may still meet the old tables.
    let results: string[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const subject = `signed after rotation ${attempt}`;
      const sent = await submit(
        { user: ADDRESS, pass: password },
        ADDRESS,
        reader.address,
        subject,
      );
      expect(sent.code, `${sent.response}\n${logs()}`).toBe(250);
      results = await verifySignatures(await delivered(reader.address, subject));
      if (!results.includes(`${DOMAIN} ${before!.selector} pass`)) break;
      await sleep(250);
    }
    expect(results, logs()).toEqual([`${DOMAIN} ${rotated.selector} pass`]);
  });

  it('refuses submission as another address, without a login, and with a wrong password', async () => {
    const other = await newMailbox('other');
    for (const sender of [other.address, `nobody@${DOMAIN}`]) {
      const spoofed = await submit({ user: ADDRESS, pass: password }, sender, ADDRESS, 'spoof');
      expect(spoofed.code, `${sender}: ${spoofed.response}\n${logs()}`).toBe(553);
      expect(spoofed.response).toMatch(/not owned by user/);
    }

    const anonymous = await submit(undefined, ADDRESS, other.address, 'anonymous');
    expect(anonymous.code, anonymous.response).toBeGreaterThanOrEqual(500);

    const wrong = await submit(
      { user: ADDRESS, pass: `${password}x` },
      ADDRESS,
      other.address,
      'x',
    );
    expect(wrong.code, wrong.response).toBe(535);
  });
  it('logs in over IMAP and sends through submission with an app password, until it is revoked', async () => {
    const box = await newMailbox('apps');
    const app = await createAppPassword(ctx, actor, box.address, { label: 'mail client' });
    const auth = { user: box.address, pass: app.password };
    // Dovecot reports each login to the policy service, which records the app password's use.
    const lastUsed = async () =>
      (await listAppPasswords(ctx, actor, box.address)).items[0]!.lastUsedAt;
    const usedAfter = async (after: string | null): Promise<string> => {
      for (let waited = 0; waited < 10_000; waited += 100) {
        const at = await lastUsed();
        if (at !== null && (after === null || at > after)) return at;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no use recorded after ${after}\n${logs()}`);
    };
    expect(await canLogIn(box.address, box.password)).toBe(true);
    expect(await lastUsed()).toBeNull();

    const sent = await submit(auth, box.address, box.address, 'sent with an app password');
    expect(sent.code, `${sent.response}\n${logs()}`).toBe(250);
    const bySmtp = await usedAfter(null);
    // Accepted is not yet delivered: read the inbox once LMTP has saved it.
    await delivered(box.address, 'sent with an app password');
    const [message] = await inboxMessages(box.address, app.password, 'sent with an app password');
    expect(message, logs()).toContain('Subject: sent with an app password');
    await usedAfter(bySmtp);

    await revokeAppPassword(ctx, actor, box.address, app.id);
    expect(await canLogIn(box.address, app.password), logs()).toBe(false);
    const refused = await submit(auth, box.address, box.address, 'after revocation');
    expect(refused.code, refused.response).toBe(535);
    // The mailbox's own password is untouched.
    expect(await canLogIn(box.address, box.password)).toBe(true);
    const own = await submit(
      { user: box.address, pass: box.password },
      box.address,
      box.address,
      'own password',
    );
    expect(own.code, own.response).toBe(250);
  }, 120_000);
});
