import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCheckPaths } from '../../src/mailstack/from-check.js';
import { status, up } from '../../src/mailstack/stack.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createAlias } from '../../src/services/aliases/create-alias.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { getDnsPlan } from '../../src/services/dns-records/get-dns-plan.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const DOMAIN = 'from.example';
const JOSH = `josh@${DOMAIN}`;
const CEO = `ceo@${DOMAIN}`;
const SALES = `sales@${DOMAIN}`;

/**
 * The From header of submitted mail against the SASL login, through real Postfix: the From
 * check milter (src/mailstack/from-check.ts) runs before OpenDKIM, so a forged From is refused
 * before anything signs it, and the login's own address and its aliases are signed.
 */
describe.each(DIALECTS)('the From header at submission on %s', (dialect) => {
  let stack: MailStack;
  let ctx: ServiceContext;
  let actor: Actor;
  let josh: { user: string; pass: string };
  let reader: string;
  let closeStore: () => Promise<void> = async () => {};

  /** Logged in as Josh; `envelope` is MAIL FROM, `from` the header. */
  const submit = async (from: string, envelope: string, subject: string) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.submission,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
      auth: josh,
    });
    try {
      const info = await transport.sendMail({
        from,
        to: reader,
        envelope: { from: envelope, to: reader },
        subject,
        text: 'Checked.',
      });
      return { code: 250, response: String(info.response) };
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; message: string };
      return { code: e.responseCode ?? 0, response: e.response ?? e.message };
    } finally {
      transport.close();
    }
  };

  const delivered = async (subject: string): Promise<string> => {
    const dir = stack.newMailDir(reader);
    const deadline = Date.now() + 20_000;
    for (;;) {
      for (const f of existsSync(dir) ? readdirSync(dir) : []) {
        const text = readFileSync(join(dir, f), 'utf8');
        if (text.includes(`Subject: ${subject}`)) return text;
      }
      if (Date.now() > deadline) throw new Error(`not delivered to ${dir}\n${stack.logs()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  /** Each DKIM signature as a receiver sees it, keys from our DNS plan. */
  const verified = async (message: string) => {
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
    return results.map((r) => `${r.signingDomain} ${r.status.result}`);
  };

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    closeStore = fresh.drop;
    ctx = testContext(fresh.store);
    const account = await createAccount(ctx, { name: 'from', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    const mailbox = async (localPart: string, name: string) => {
      const created = await createMailbox(ctx, actor, {
        name,
        localPart,
        domain: DOMAIN,
        password: { generate: true },
        quotaMb: 50,
      });
      return { user: created.mailbox.address, pass: created.password! };
    };
    josh = await mailbox('josh', 'Josh Smith');
    await mailbox('ceo', 'Cora Chief');
    reader = (await mailbox('reader', 'Rita Reader')).user;
    await createAlias(ctx, actor, { address: SALES, targets: [JOSH] });
    stack = await startMailStack(fresh.url, 'mx.from.example', { keys: await signingKeys(ctx) });
  }, 90_000);

  afterAll(async () => {
    if (stack) await stack.stop();
    await closeStore();
  }, 60_000);

  it('refuses a From header naming another address of the domain with 550 5.7.1 naming the header and the login', async () => {
    const forged = await submit(`The CEO <${CEO}>`, JOSH, 'forged from');
    expect(forged.code, `${forged.response}\n${stack.logs()}`).toBe(550);
    expect(forged.response).toMatch(
      /^550 5\.7\.1 .*From header <ceo@from\.example> is not an address of login josh@from\.example/,
    );
    const stranger = await submit('someone@elsewhere.example', JOSH, 'forged stranger');
    expect(stranger.code, stranger.response).toBe(550);
    expect(stranger.response).toMatch(/From header <someone@elsewhere\.example>/);
  });

  it("accepts the login's own address and signs it so that DKIM verifies", async () => {
    const own = await submit(`Josh Smith <${JOSH}>`, JOSH, 'own from');
    expect(own.code, `${own.response}\n${stack.logs()}`).toBe(250);
    expect(await verified(await delivered('own from'))).toEqual([`${DOMAIN} pass`]);
  });

  it('accepts an alias the login receives, in the header and in the envelope, signed', async () => {
    const header = await submit(`Sales <${SALES}>`, JOSH, 'alias header');
    expect(header.code, `${header.response}\n${stack.logs()}`).toBe(250);
    expect(await verified(await delivered('alias header'))).toEqual([`${DOMAIN} pass`]);
    const both = await submit(SALES, SALES, 'alias both');
    expect(both.code, `${both.response}\n${stack.logs()}`).toBe(250);
    expect(await verified(await delivered('alias both'))).toEqual([`${DOMAIN} pass`]);
  });

  it('defers submission with a 4xx while the From check is down: nothing is accepted unchecked', async () => {
    const before = await status(stack.settings);
    expect(before.fromCheck.running, stack.logs()).toBe(true);
    process.kill(before.fromCheck.pid!, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while ((await status(stack.settings)).fromCheck.running && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      const deferred = await submit(JOSH, JOSH, 'while the From check is down');
      // Postfix tempfails the session from its first command (milter_default_action), so the
      // client hears a 4xx at EHLO or AUTH, before any message.
      expect(Math.floor(deferred.code / 100), `${deferred.response}\n${stack.logs()}`).toBe(4);
      expect(deferred.response).toMatch(/^4\d\d 4\.\d\.\d /);
      expect(readFileSync(join(stack.settings.dirs.log, 'postfix.log'), 'utf8')).toMatch(
        /milter-reject: CONNECT .*451 4\.7\.1 Service unavailable/,
      );
    } finally {
      await up(stack.settings, await signingKeys(ctx));
    }
    expect(existsSync(fromCheckPaths(stack.settings).socket)).toBe(true);
    const after = await submit(JOSH, JOSH, 'From check back');
    expect(after.code, `${after.response}\n${stack.logs()}`).toBe(250);
  });
});
