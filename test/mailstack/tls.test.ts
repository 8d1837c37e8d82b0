import { statSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postfixDir } from '../../src/mailstack/render.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { testContext } from '../support/context.js';
import { freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';
import { certificate } from '../support/tls.js';

const HOST = '127.0.0.1';
const MX = 'mx.tls.example';
const ADDRESS = 'josh@tls.example';

/**
 * The production shape of the mail plane: a certificate, and PostgreSQL reached with a password
 * (the test server trusts every local connection, so any password works; what is tested is that
 * the servers can read the files holding it). One dialect: the SQL is the same, and what differs
 * here is file permissions and TLS.
 */
describe('the mail plane with TLS and a database password', () => {
  let stack: MailStack;
  let ctx: ServiceContext;
  let actor: Actor;
  let password: string;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const fresh = await freshStore('postgres');
    drop = fresh.drop;
    ctx = testContext(fresh.store);
    const account = await createAccount(ctx, { name: 'tls', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: 'tls.example' });
    await verifyDomain(ctx, actor, 'tls.example', { manual: true });
    const created = await createMailbox(ctx, actor, {
      name: 'Josh Smith',
      localPart: 'josh',
      domain: 'tls.example',
      password: { generate: true },
    });
    password = created.password!;
    const url = fresh.url.replace('postgres://postgres@', 'postgres://postgres:s3cret-Pw@');
    expect(url).toContain(':s3cret-Pw@');
    stack = await startMailStack(url, MX, { tls: certificate(MX) });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await drop();
  }, 60_000);

  const tlsOptions = { rejectUnauthorized: false, servername: MX };

  it('keeps the password in files only Postfix’s group can read, and delivers through them', async () => {
    const table = statSync(`${postfixDir(stack.settings)}/mail_users.cf`);
    expect(table.mode & 0o777).toBe(0o640);
    expect(table.gid).not.toBe(0);
    const transport = nodemailer.createTransport({
      host: HOST,
      port: stack.settings.ports.smtp,
      secure: false,
      requireTLS: true,
      tls: tlsOptions,
      name: 'client.test',
    });
    try {
      const info = await transport.sendMail({
        from: 'sender@remote.test',
        to: ADDRESS,
        subject: 'over STARTTLS',
        text: 'Hello.',
      });
      expect(info.response, stack.logs()).toMatch(/^250 /);
    } finally {
      transport.close();
    }
  });

  it('logs in over IMAPS (implicit TLS)', async () => {
    const imaps = new ImapFlow({
      host: HOST,
      port: stack.settings.ports.imaps,
      secure: true,
      tls: tlsOptions,
      logger: false,
      auth: { user: ADDRESS, pass: password },
    });
    imaps.on('error', () => undefined);
    // (Plain IMAP needs STARTTLS before a login, `ssl = required`, but Dovecot counts loopback
    // connections as secured, so that refusal cannot be shown from here; render.test.ts checks it.)
    await imaps.connect();
    expect(imaps.authenticated, stack.logs()).toBeTruthy();
    await imaps.logout();
  });

  it('takes AUTH on submission only after STARTTLS', async () => {
    const submit = async (starttls: boolean) => {
      const transport = nodemailer.createTransport({
        host: HOST,
        port: stack.settings.ports.submission,
        secure: false,
        ...(starttls ? { requireTLS: true, tls: tlsOptions } : { ignoreTLS: true }),
        name: 'client.test',
        auth: { user: ADDRESS, pass: password },
      });
      try {
        const info = await transport.sendMail({
          from: ADDRESS,
          to: ADDRESS,
          subject: `submitted, STARTTLS ${starttls}`,
          text: 'Hello.',
        });
        return String(info.response);
      } catch (error) {
        return (error as Error).message;
      } finally {
        transport.close();
      }
    };
    expect(await submit(true), stack.logs()).toMatch(/^250 /);
    expect(await submit(false)).not.toMatch(/^250 /);
  });

  it('takes AUTH on submissions (implicit TLS) with the same sender rules', async () => {
    const submit = async (from: string) => {
      const transport = nodemailer.createTransport({
        host: HOST,
        port: stack.settings.ports.submissions,
        secure: true,
        tls: tlsOptions,
        name: 'client.test',
        auth: { user: ADDRESS, pass: password },
      });
      try {
        const info = await transport.sendMail({
          from,
          to: ADDRESS,
          subject: `submitted over implicit TLS from ${from}`,
          text: 'Hello.',
        });
        return String(info.response);
      } catch (error) {
        return (error as Error).message;
      } finally {
        transport.close();
      }
    };
    expect(await submit(ADDRESS), stack.logs()).toMatch(/^250 /);
    // Josh may not send as someone else, as on 587.
    expect(await submit('ceo@tls.example')).toMatch(/553 5\.7\.1 .*not owned by user/);
  });
});
