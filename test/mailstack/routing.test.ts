import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createAlias } from '../../src/services/aliases/create-alias.js';
import { deleteAlias } from '../../src/services/aliases/delete-alias.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { addSubdomains } from '../../src/services/domains/add-subdomains.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { updateMailbox } from '../../src/services/mailboxes/update-mailbox.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';
import { startSmtpCatcher, type CaughtMessage, type SmtpCatcher } from '../support/smtp-catcher.js';

const DOMAIN = 'routes.example';
const SALES = `sales.${DOMAIN}`;
const SENDER = 'someone@remote.test';

/**
 * Aliases, catch-alls and forwards through real Postfix and Dovecot: a stranger's server
 * delivers to the SMTP port; local targets land in maildirs, external ones reach the catcher
 * standing in for other providers (the stack's relayhost).
 */
describe.each(DIALECTS)('mail routing through the mail plane on %s', (dialect) => {
  let stack: MailStack;
  let catcher: SmtpCatcher;
  let ctx: ServiceContext;
  let actor: Actor;
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
      const info = await transport.sendMail({ from: SENDER, to, subject, text: 'Hello.' });
      return { code: 250, response: String(info.response) };
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; message: string };
      return { code: e.responseCode ?? 0, response: e.response ?? e.message };
    } finally {
      transport.close();
    }
  };

  /** A message signed by the sender's domain (DKIM, RSA), CRLF line ends, as bytes go on the wire. */
  const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  const signedMessage = async (subject: string): Promise<string> => {
    const composer = nodemailer.createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'windows',
      dkim: { domainName: 'remote.test', keySelector: 'sel', privateKey: dkimKey },
    });
    const info = await composer.sendMail({
      from: SENDER,
      to: 'x@example.org',
      subject,
      text: 'Signed.',
    });
    const raw = (info.message as Buffer).toString('latin1');
    expect(raw).toMatch(/^DKIM-Signature: /m);
    return raw.endsWith('\r\n') ? raw : `${raw}\r\n`;
  };

  /** Sends `raw` as it is, with this envelope, to the SMTP port. */
  const sendRaw = async (from: string, to: string, raw: string) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.smtp,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
    });
    try {
      const info = await transport.sendMail({ envelope: { from, to: [to] }, raw });
      return { code: 250, response: String(info.response) };
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; message: string };
      return { code: e.responseCode ?? 0, response: e.response ?? e.message };
    } finally {
      transport.close();
    }
  };

  /** Subjects of the messages in an address's maildir. */
  const inbox = (address: string): string[] => {
    const dir = stack.newMailDir(address);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).map(
      (f) => /^Subject: (.*)$/m.exec(readFileSync(join(dir, f), 'utf8'))?.[1] ?? '',
    );
  };

  const waitForMail = async (address: string, subject: string) => {
    const deadline = Date.now() + 20_000;
    while (!inbox(address).includes(subject) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(inbox(address), `${address}: ${subject}\n${stack.logs()}`).toContain(subject);
  };

  const mailbox = async (localPart: string, domain = DOMAIN) =>
    (
      await createMailbox(ctx, actor, {
        name: 'Josh Smith',
        localPart,
        domain,
        password: { generate: true },
        quotaMb: 10,
      })
    ).mailbox.address;

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    closeStore = fresh.drop;
    ctx = testContext(fresh.store);
    const account = await createAccount(ctx, { name: 'routing', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    await addSubdomains(ctx, actor, DOMAIN, { labels: 'sales' });
    catcher = await startSmtpCatcher();
    stack = await startMailStack(fresh.url, `mx.${DOMAIN}`, {
      relayHost: `[127.0.0.1]:${catcher.port}`,
      // Nothing here is submitted: no sending limits to ask.
      policyServer: false,
    });
  }, 60_000);

  afterAll(async () => {
    if (stack) await stack.stop();
    await catcher?.close();
    await closeStore();
  }, 60_000);

  it('delivers mail to an alias with two local targets into both mailboxes', async () => {
    const josh = await mailbox('josh');
    const ann = await mailbox('ann');
    await createAlias(ctx, actor, { address: `team@${DOMAIN}`, targets: [josh, ann] });
    const sent = await send(`team@${DOMAIN}`, 'to the team');
    expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(250);
    await waitForMail(josh, 'to the team');
    await waitForMail(ann, 'to the team');
  });

  it('sends mail to an alias with an external target on to the outside world', async () => {
    await createAlias(ctx, actor, {
      address: `replies@${DOMAIN}`,
      targets: ['inbox@partner.example'],
    });
    const sent = await send(`replies@${DOMAIN}`, 'a reply');
    expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(250);
    const caught = await catcher.waitFor((m) => m.data.includes('Subject: a reply'));
    expect(caught.to).toEqual(['inbox@partner.example']);
  });

  it('forwards external mail with an SRS envelope sender and its DKIM signature untouched', async () => {
    await createAlias(ctx, actor, { address: `srs@${DOMAIN}`, targets: ['srs@partner.example'] });
    const raw = await signedMessage('signed and forwarded');
    const sent = await sendRaw(SENDER, `srs@${DOMAIN}`, raw);
    expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(250);
    const caught = await catcher.waitFor((m) => m.data.includes('Subject: signed and forwarded'));
    expect(caught.to).toEqual(['srs@partner.example']);
    // SRS0=<hash>=<time>=<original domain>=<original local part>@<mail host>
    expect(caught.from).toMatch(/^SRS0=[^=@]+=[^=@]{2}=remote\.test=someone@mx\.routes\.example$/);
    // Postfix only prepends its Received: header; every signed byte arrives as it was sent.
    expect(caught.data.startsWith('Received: ')).toBe(true);
    expect(caught.data.endsWith(raw)).toBe(true);
  });

  it('keeps the envelope sender of our own hostnames on forwarded mail', async () => {
    await createAlias(ctx, actor, { address: `own@${DOMAIN}`, targets: ['own@partner.example'] });
    const raw = await signedMessage('from our own domain');
    const sent = await sendRaw(`boss@${DOMAIN}`, `own@${DOMAIN}`, raw);
    expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(250);
    const caught = await catcher.waitFor((m) => m.data.includes('Subject: from our own domain'));
    expect(caught.from).toBe(`boss@${DOMAIN}`);
  });

  it('returns a bounce to an SRS address to the original sender, and refuses a forged one', async () => {
    await createAlias(ctx, actor, { address: `back@${DOMAIN}`, targets: ['back@partner.example'] });
    const sent = await sendRaw(SENDER, `back@${DOMAIN}`, await signedMessage('will bounce'));
    expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(250);
    const out = await catcher.waitFor((m) => m.data.includes('Subject: will bounce'));
    const bounce = [
      'From: MAILER-DAEMON@partner.example',
      `To: ${out.from}`,
      'Subject: Undelivered Mail Returned to Sender',
      '',
      'back@partner.example: no such user',
      '',
    ].join('\r\n');
    const returned = await sendRaw('', out.from, bounce);
    expect(returned.code, `${returned.response}\n${stack.logs()}`).toBe(250);
    const delivered = await catcher.waitFor((m) =>
      m.data.includes('Subject: Undelivered Mail Returned to Sender'),
    );
    expect(delivered.to).toEqual([SENDER]);
    expect(delivered.from).toBe('');
    const forged = await sendRaw('', out.from.replace(/^SRS0=[^=]+=/, 'SRS0=AAAA='), bounce);
    expect(forged.code, forged.response).toBe(550);
  });

  it('stops a loop that a system outside closes, by its hop count, without a storm', async () => {
    await createAlias(ctx, actor, { address: `loop@${DOMAIN}`, targets: ['loop@partner.example'] });
    const looped = (m: CaughtMessage) => m.to.includes('loop@partner.example');
    // The outside system forwards loop@partner.example straight back to the alias.
    const answers: { code: number; response: string }[] = [];
    const echoed = new Set<CaughtMessage>();
    const echo = async () => {
      for (const m of catcher.messages.filter((m) => looped(m) && !echoed.has(m))) {
        echoed.add(m);
        answers.push(await sendRaw(m.from, `loop@${DOMAIN}`, m.data));
      }
    };
    const sent = await send(`loop@${DOMAIN}`, 'round and round');
    expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(250);
    // Each round adds a Received: header; past hopcount_limit (50) Postfix refuses the message
    // at the end of DATA, so it is back with the system that closed the loop, never in our queue.
    const deadline = Date.now() + 120_000;
    while (!answers.some((a) => a.code >= 500) && Date.now() < deadline) {
      await echo();
      await new Promise((r) => setTimeout(r, 50));
    }
    const refused = answers.find((a) => a.code >= 500);
    expect(refused?.response, `${answers.length} rounds\n${stack.logs().slice(-3000)}`).toMatch(
      /^554 5\.4\.0 Error: too many hops$/,
    );
    const rounds = catcher.messages.filter(looped).length;
    expect(rounds).toBeGreaterThan(10);
    expect(rounds).toBeLessThanOrEqual(50);
    // Nothing more comes: the loop is over, not slowed down.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(catcher.messages.filter(looped)).toHaveLength(rounds);
    expect(await stack.queue()).toBe('Mail queue is empty');
  }, 180_000);

  it('lets a catch-all take unknown addresses but not a mailbox, and refuses them at RCPT once removed', async () => {
    const josh = await mailbox('josh', SALES);
    const reader = await mailbox('reader');
    expect((await send(`anything@${SALES}`, 'before the catch-all')).code).toBe(550);
    await createAlias(ctx, actor, { address: `@${SALES}`, targets: [reader] });
    const caught = await send(`anything@${SALES}`, 'caught');
    expect(caught.code, `${caught.response}\n${stack.logs()}`).toBe(250);
    const direct = await send(josh, 'for josh');
    expect(direct.code, direct.response).toBe(250);
    await waitForMail(reader, 'caught');
    await waitForMail(josh, 'for josh');
    expect(inbox(reader)).not.toContain('for josh');
    await deleteAlias(ctx, actor, `@${SALES}`);
    const refused = await send(`anything@${SALES}`, 'after the catch-all');
    expect(refused.code, refused.response).toBe(550);
  });

  it('forwards a mailbox: with keepCopy to both, without only to the targets', async () => {
    const kim = await mailbox('kim');
    const lee = await mailbox('lee');
    await updateMailbox(ctx, actor, kim, {
      forwarding: { to: [lee, 'kim@partner.example'], keepCopy: true },
    });
    const kept = await send(kim, 'kept and forwarded');
    expect(kept.code, `${kept.response}\n${stack.logs()}`).toBe(250);
    await waitForMail(kim, 'kept and forwarded');
    await waitForMail(lee, 'kept and forwarded');
    const out = await catcher.waitFor((m) => m.data.includes('Subject: kept and forwarded'));
    expect(out.to).toEqual(['kim@partner.example']);

    await updateMailbox(ctx, actor, kim, { forwarding: { to: [lee], keepCopy: false } });
    const moved = await send(kim, 'forwarded only');
    expect(moved.code, `${moved.response}\n${stack.logs()}`).toBe(250);
    await waitForMail(lee, 'forwarded only');
    // Both deliveries of one message leave the queue together: by now kim's would be there.
    await new Promise((r) => setTimeout(r, 500));
    expect(inbox(kim)).not.toContain('forwarded only');

    await updateMailbox(ctx, actor, kim, { forwarding: null });
    const back = await send(kim, 'kept again');
    expect(back.code, back.response).toBe(250);
    await waitForMail(kim, 'kept again');
    expect(inbox(lee)).not.toContain('kept again');
  });
});
