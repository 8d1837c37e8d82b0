import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPolicyServer } from '../../src/app/policy-server.js';
import { down, up } from '../../src/mailstack/stack.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { getMailbox } from '../../src/services/mailboxes/get-mailbox.js';
import type { SendingInput } from '../../src/core/sending.js';
import { openStore } from '../../src/store/database.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const DOMAIN = 'limits.example';
const DAY_MS = 86_400_000;

/**
 * Sending limits through real Postfix: nodemailer submits on the submission port, Postfix asks
 * Mailwright's policy service at each RCPT, and the counters live in the database. The policy
 * service runs in this process here, so the test can move its clock across a UTC day.
 */
describe.each(DIALECTS)('sending limits through the mail plane on %s', (dialect) => {
  let stack: MailStack;
  let url: string;
  let ctx: ServiceContext;
  let actor: Actor;
  let reader: string;
  let now = new Date();
  let policy: { close(): Promise<void> } | undefined;
  let closeStore: () => Promise<void> = async () => {};

  const serve = async (c: Pick<ServiceContext, 'store' | 'clock'> = ctx) => {
    policy = await startPolicyServer(c, stack.settings);
  };

  const submit = async (auth: { user: string; pass: string }, subject: string, to = reader) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.submission,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
      auth,
    });
    try {
      const info = await transport.sendMail({
        from: auth.user,
        to,
        subject,
        text: 'Outreach.',
      });
      return { code: 250, response: String(info.response) };
    } catch (error) {
      const e = error as { responseCode?: number; response?: string; message: string };
      return { code: e.responseCode ?? 0, response: e.response ?? e.message };
    } finally {
      transport.close();
    }
  };

  const sender = async (localPart: string, sending: SendingInput) => {
    const created = await createMailbox(ctx, actor, {
      name: 'Sam Sender',
      localPart,
      domain: DOMAIN,
      password: { generate: true },
      quotaMb: 10,
      sending,
    });
    return { user: created.mailbox.address, pass: created.password! };
  };

  /** How many of `tries` submissions go through, one after another; every refusal a 452. */
  const sendUntilRefused = async (auth: { user: string; pass: string }, tries: number) => {
    let sent = 0;
    for (let i = 0; i < tries; i++) {
      const outcome = await submit(auth, `${auth.user} ${now.toISOString()} ${i}`);
      if (outcome.code === 250) sent++;
      else expect(outcome.code, `${outcome.response}\n${stack.logs()}`).toBe(452);
    }
    return sent;
  };

  const deliveredCount = (address: string): number => {
    const dir = stack.newMailDir(address);
    return existsSync(dir) ? readdirSync(dir).length : 0;
  };

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    url = fresh.url;
    closeStore = fresh.drop;
    ctx = testContext(fresh.store, { clock: () => now });
    const account = await createAccount(ctx, { name: 'limits', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    reader = (
      await createMailbox(ctx, actor, {
        name: 'Rita Reader',
        localPart: 'reader',
        domain: DOMAIN,
        password: { generate: true },
        quotaMb: 100,
      })
    ).mailbox.address;
    stack = await startMailStack(url, 'mx.limits.example', { policyServer: false });
    await serve();
  }, 60_000);

  afterAll(async () => {
    await policy?.close();
    if (stack) await stack.stop();
    await closeStore();
  }, 60_000);

  it('refuses a submitted message to an unknown address at a hostname we serve at RCPT', async () => {
    const auth = await sender('asks-nobody', { dailyLimit: 50 });
    const sent = await submit(auth, 'to nobody', `nobody@${DOMAIN}`);
    expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(550);
    expect(sent.response).toMatch(/^550 5\.1\.1 .*User unknown/);
    expect((await submit(auth, 'to the reader')).code).toBe(250);
  });

  it('refuses the 6th message of a mailbox limited to 5 a day with 452 4.7.1, and sends again the next UTC day', async () => {
    const five = await sender('five', { dailyLimit: 5, warmup: null });
    for (let i = 1; i <= 5; i++) {
      const sent = await submit(five, `five ${i}`);
      expect(sent.code, `${sent.response}\n${stack.logs()}`).toBe(250);
    }
    const sixth = await submit(five, 'five 6');
    expect(sixth.code, stack.logs()).toBe(452);
    expect(sixth.response).toMatch(
      /^452 4\.7\.1 .*Daily sending limit of 5 recipients reached for five@limits\.example; it resets at \d{4}-\d{2}-\d{2}T00:00:00Z/,
    );
    expect((await getMailbox(ctx, actor, five.user)).sending).toMatchObject({
      sentToday: 5,
      limitToday: 5,
    });

    now = new Date(now.getTime() + DAY_MS);
    const nextDay = await submit(five, 'five next day');
    expect(nextDay.code, nextDay.response).toBe(250);
    expect((await getMailbox(ctx, actor, five.user)).sending.sentToday).toBe(1);
  });

  it('follows the warm-up ramp: 2 on day 0, 4 on day 1, 6 from day 5', async () => {
    const warm = await sender('warm', {
      dailyLimit: 100,
      warmup: { start: 2, increment: 2, max: 6 },
    });
    const day0 = now;
    expect(await sendUntilRefused(warm, 3)).toBe(2);
    now = new Date(day0.getTime() + DAY_MS);
    expect(await sendUntilRefused(warm, 5)).toBe(4);
    now = new Date(day0.getTime() + 5 * DAY_MS);
    expect(await sendUntilRefused(warm, 7)).toBe(6);
    expect((await getMailbox(ctx, actor, warm.user)).sending).toMatchObject({
      rampDay: 5,
      limitToday: 6,
      sentToday: 6,
    });
  });

  it('lets ten concurrent sessions of one login send no more than the limit in total', async () => {
    const racer = await sender('racer', { dailyLimit: 4, warmup: null });
    const before = deliveredCount(reader);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => submit(racer, `race ${i}`)),
    );
    const codes = outcomes.map((o) => o.code).sort();
    expect(codes, stack.logs()).toEqual([250, 250, 250, 250, 452, 452, 452, 452, 452, 452]);
    expect((await getMailbox(ctx, actor, racer.user)).sending.sentToday).toBe(4);
    const deadline = Date.now() + 20_000;
    while (deliveredCount(reader) < before + 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(deliveredCount(reader) - before).toBe(4);
  });

  it('keeps the counts across a restart of the policy service and the mail servers', async () => {
    const kept = await sender('kept', { dailyLimit: 2, warmup: null });
    expect(await sendUntilRefused(kept, 2)).toBe(2);
    await policy!.close();
    await down(stack.settings);
    await up(stack.settings, []);
    // A new database connection, as a restarted Mailwright would have.
    const store = openStore(url);
    try {
      await serve({ store, clock: () => now });
      const refused = await submit(kept, 'kept after restart');
      expect(refused.code, `${refused.response}\n${stack.logs()}`).toBe(452);
      expect(refused.response).toMatch(/Daily sending limit of 2 recipients/);
    } finally {
      await policy!.close();
      await store.close();
      await serve();
    }
  });

  it('defers submission with a 4xx while the policy service is down, and accepts nothing unchecked', async () => {
    const open = await sender('open', { dailyLimit: 100 });
    await policy!.close();
    try {
      const deferred = await submit(open, 'while the policy service is down');
      expect(deferred.code, `${deferred.response}\n${stack.logs()}`).toBe(451);
      expect(deferred.response).toMatch(/^451 4\.3\.5 .*Policy service unavailable/);
      expect((await getMailbox(ctx, actor, open.user)).sending.sentToday).toBe(0);
    } finally {
      await serve();
    }
    const after = await submit(open, 'policy service back');
    expect(after.code, after.response).toBe(250);
    expect(readFileSync(join(stack.settings.dirs.log, 'postfix.log'), 'utf8')).toMatch(
      /policy service unavailable|Policy service unavailable/i,
    );
  });
});
