import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPolicy } from '../../src/app/policy-server.js';
import { servePolicy } from '../../src/mailstack/policy-service.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { getMailbox } from '../../src/services/mailboxes/get-mailbox.js';
import { sendGate, type SendDecision } from '../../src/services/sending/check-send.js';
import { openStore, type Store } from '../../src/store/database.js';
import { insertMailbox } from '../../src/store/mailboxes.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';

const DOMAIN = 'counts.example';

/**
 * A separate process with its own gate on the database at `url`, as a second policy service
 * would be: it decides once for `login` (so it remembers its counts), says `ready`, waits for a
 * line on stdin, then asks `waves` times `perWave` decisions at once, and prints how many it
 * was allowed in all.
 */
function gateProcess(
  url: string,
  login: string,
  now: Date,
  waves: number,
  perWave: number,
): { ready: Promise<void>; go(): void; allowed: Promise<number> } {
  const module = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `const { openStore } = await import(${module('../../src/store/database.ts')});
    const { sendGate } = await import(${module('../../src/services/sending/check-send.ts')});
    const store = openStore(${JSON.stringify(url)});
    const gate = sendGate({ store, clock: () => new Date(${JSON.stringify(now.toISOString())}) });
    let allowed = (await gate(${JSON.stringify(login)})).allowed ? 1 : 0;
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    for (let wave = 0; wave < ${waves}; wave++) {
      const decisions = await Promise.all(
        Array.from({ length: ${perWave} }, () => gate(${JSON.stringify(login)})),
      );
      allowed += decisions.filter((d) => d.allowed).length;
    }
    await store.close();
    process.stdout.write(String(allowed));
    process.exit(0);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready\n')) resolve();
    }),
  );
  const allowed = new Promise<number>((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve(Number(stdout.replace('ready\n', '')))
        : reject(new Error(`gate process exited with ${code}: ${stderr}`)),
    ),
  );
  return {
    ready: Promise.race([ready, allowed.then(() => undefined)]),
    go: () => child.stdin.write('go\n'),
    allowed,
  };
}

/** Asks one RCPT question per request over one connection, as an smtpd process does. */
function askPolicy(path: string, logins: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const answers: string[] = [];
    const socket = connect(path);
    let buffer = '';
    const next = () => {
      const login = logins[answers.length];
      if (login === undefined) {
        socket.end();
        resolve(answers);
        return;
      }
      socket.write(
        `request=smtpd_access_policy\nprotocol_state=RCPT\nsasl_username=${login}\nrecipient=r@elsewhere.example\n\n`,
      );
    };
    socket.setEncoding('utf8');
    socket.on('connect', next);
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        answers.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        next();
      }
    });
  });
}

describe.each(DIALECTS)('sending decisions taken together on %s', (dialect) => {
  let ctx: ServiceContext;
  let url: string;
  let actor: Actor;
  let drop: () => Promise<void>;
  let now = new Date('2026-11-25T10:00:00.000Z');
  const clock = () => now;

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    url = fresh.url;
    drop = fresh.drop;
    ctx = testContext(fresh.store, { clock });
    const account = await createAccount(ctx, { name: 'counts', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
  });
  afterAll(() => drop());

  /** A mailbox with no warm-up; its password is never used here, so it is not hashed. */
  const sender = async (localPart: string, limits: { daily: number; hourly?: number }) => {
    const address = `${localPart}@${DOMAIN}`;
    const domain = await ctx.store.db
      .selectFrom('domains')
      .select('id')
      .where('name', '=', DOMAIN)
      .executeTakeFirstOrThrow();
    await insertMailbox(ctx.store.db, {
      id: randomUUID(),
      account_id: actor.accountId,
      domain_id: domain.id,
      local_part: localPart,
      address,
      name: 'Sam Sender',
      password_hash: '{ARGON2ID}unused',
      quota_mb: 1024,
      active: 1,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      send_daily_limit: limits.daily,
      send_hourly_limit: limits.hourly ?? 100,
    });
    return address;
  };

  const sending = async (address: string) => (await getMailbox(ctx, actor, address)).sending;

  const limitEvents = (address: string) =>
    ctx.store.db
      .selectFrom('events')
      .select('details')
      .where('target', '=', address)
      .where('action', '=', 'mailbox.send_limit_reached')
      .execute();

  it('answers each login in arrival order, the first ones up to its limit, when many come at once', async () => {
    const three = await sender('three', { daily: 3 });
    const five = await sender('five', { daily: 50, hourly: 5 });
    const check = sendGate(ctx);
    const asked = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? three : five));
    asked.push('nobody@counts.example');
    const decisions = await Promise.all(asked.map((login) => check(login)));
    const allowedOf = (login: string) =>
      decisions.filter((_, i) => asked[i] === login).map((d) => d.allowed);
    expect(allowedOf(three)).toEqual([true, true, true, false, false, false, false, false]);
    expect(allowedOf(five)).toEqual([...Array(5).fill(true), ...Array(11).fill(false)]);
    expect(decisions.at(-1)).toEqual({ allowed: true });
    expect(decisions[asked.lastIndexOf(five)]).toEqual({
      allowed: false,
      text: 'Hourly sending limit of 5 recipients reached for five@counts.example; it resets at 2026-11-25T11:00:00Z',
    });
    expect(await sending(three)).toMatchObject({ sentToday: 3, sentThisHour: 3 });
    expect(await sending(five)).toMatchObject({ sentToday: 5, sentThisHour: 5 });
    expect((await limitEvents(three)).map((e) => JSON.parse(e.details))).toEqual([
      { limit: 'daily', max: 3 },
    ]);
    expect((await limitEvents(five)).map((e) => JSON.parse(e.details))).toEqual([
      { limit: 'hourly', max: 5 },
    ]);
  });

  // On SQLite one process's writes wait for another's synchronously (busy_timeout), which in
  // one test process would block the very transaction it waits for: PostgreSQL alone here.
  it.runIf(dialect === 'postgres')(
    'never lets several processes on one database pass a login’s limit together',
    async () => {
      const shared = await sender('shared', { daily: 25 });
      // Each store is what another Mailwright process would have: its own connections.
      const others: Store[] = [openStore(url), openStore(url)];
      try {
        const gates = [ctx, ...others.map((store) => ({ store, clock }))].map(sendGate);
        const decisions: SendDecision[] = await Promise.all(
          Array.from({ length: 60 }, (_, i) => gates[i % gates.length]!(shared)),
        );
        expect(decisions.filter((d) => d.allowed)).toHaveLength(25);
        expect(await sending(shared)).toMatchObject({ sentToday: 25 });
      } finally {
        await Promise.all(others.map((store) => store.close()));
      }
    },
  );

  it.runIf(dialect === 'postgres')(
    'never lets processes that remember a login’s counts pass its limit together',
    async () => {
      const warm = await sender('warm', { daily: 30 });
      const others: Store[] = [openStore(url), openStore(url)];
      try {
        const gates = [ctx, ...others.map((store) => ({ store, clock }))].map(sendGate);
        // Each gate decides once alone first, so each remembers counts the others then change.
        for (const gate of gates) expect(await gate(warm)).toEqual({ allowed: true });
        const decisions: SendDecision[] = [];
        for (let wave = 0; wave < 4; wave++) {
          decisions.push(
            ...(await Promise.all(
              Array.from({ length: 15 }, (_, i) => gates[(i + wave) % gates.length]!(warm)),
            )),
          );
        }
        expect(decisions.filter((d) => d.allowed)).toHaveLength(27);
        expect(await sending(warm)).toMatchObject({ sentToday: 30, sentThisHour: 30 });
        expect((await limitEvents(warm)).map((e) => JSON.parse(e.details))).toEqual([
          { limit: 'daily', max: 30 },
        ]);
      } finally {
        await Promise.all(others.map((store) => store.close()));
      }
    },
  );

  it('never lets separate processes that remember a login’s counts pass its limit together', async () => {
    now = new Date('2026-11-30T15:00:00.000Z');
    const racing = await sender('racing', { daily: 40 });
    const gates = Array.from({ length: 3 }, () => gateProcess(url, racing, now, 5, 6));
    await Promise.all(gates.map((g) => g.ready));
    for (const g of gates) g.go();
    const allowed = await Promise.all(gates.map((g) => g.allowed));
    expect(allowed.reduce((a, b) => a + b, 0)).toBe(40);
    expect(await sending(racing)).toMatchObject({ sentToday: 40, sentThisHour: 40 });
    expect((await limitEvents(racing)).map((e) => JSON.parse(e.details))).toEqual([
      { limit: 'daily', max: 40 },
    ]);
  }, 60_000);

  it('decides on the policy and the day of now, not on what it decided for a login before', async () => {
    now = new Date('2026-11-28T23:59:00.000Z');
    const edited = await sender('edited', { daily: 10 });
    const check = sendGate(ctx);
    expect(await check(edited)).toEqual({ allowed: true });
    const setMailbox = (values: { send_daily_limit?: number; active?: number }) =>
      ctx.store.db.updateTable('mailboxes').set(values).where('address', '=', edited).execute();
    await setMailbox({ send_daily_limit: 1 });
    expect((await check(edited)).allowed).toBe(false);
    await setMailbox({ send_daily_limit: 3 });
    expect(await Promise.all([check(edited), check(edited), check(edited)])).toEqual([
      { allowed: true },
      { allowed: true },
      expect.objectContaining({ allowed: false }),
    ]);
    // Not an active mailbox any more: not ours to judge, and nothing counted.
    await setMailbox({ active: 0 });
    expect(await check(edited)).toEqual({ allowed: true });
    await setMailbox({ active: 1 });
    expect(await sending(edited)).toMatchObject({ sentToday: 3, sentThisHour: 3 });
    now = new Date('2026-11-29T00:00:30.000Z');
    expect(await check(edited)).toEqual({ allowed: true });
    expect(await sending(edited)).toMatchObject({ sentToday: 1, sentThisHour: 4 });
  });

  it('fails every decision of a batch that fails, and decides the next batch anew', async () => {
    let broken = true;
    // An invalid date makes the windows fail to compute: a failure inside the decision.
    const gate = sendGate({ store: ctx.store, clock: () => (broken ? new Date(NaN) : now) });
    const failed = await Promise.allSettled([gate('a@x.example'), gate('b@x.example')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    broken = false;
    expect(await gate('nobody@counts.example')).toEqual({ allowed: true });
  });

  it('forgets the minutes the rolling hour has left behind when the login sends again', async () => {
    now = new Date('2026-11-26T08:00:10.000Z');
    const rolling = await sender('rolling', { daily: 100 });
    const check = sendGate(ctx);
    await Promise.all([check(rolling), check(rolling)]);
    now = new Date('2026-11-26T08:30:00.000Z');
    await check(rolling);
    now = new Date('2026-11-26T09:15:00.000Z');
    await check(rolling);
    const { id } = await ctx.store.db
      .selectFrom('mailboxes')
      .select('id')
      .where('address', '=', rolling)
      .executeTakeFirstOrThrow();
    const rows = await ctx.store.db
      .selectFrom('send_counts')
      .select(['period', 'window_start', 'count'])
      .where('mailbox_id', '=', id)
      .orderBy('period')
      .orderBy('window_start')
      .execute();
    expect(rows.map((r) => ({ ...r, count: Number(r.count) }))).toEqual([
      { period: 'day', window_start: '2026-11-26T00:00:00.000Z', count: 4 },
      { period: 'minute', window_start: '2026-11-26T08:30:00.000Z', count: 1 },
      { period: 'minute', window_start: '2026-11-26T09:15:00.000Z', count: 1 },
    ]);
    expect(await sending(rolling)).toMatchObject({ sentToday: 4, sentThisHour: 2 });
  });

  it('answers RCPT requests of concurrent sessions on the policy socket, deferring past the limit', async () => {
    now = new Date('2026-11-27T12:00:00.000Z');
    const racer = await sender('racer', { daily: 4 });
    const dir = mkdtempSync(join(tmpdir(), 'mailwright-policy-'));
    const socket = join(dir, 'policy.sock');
    const server = await servePolicy(socket, sendPolicy(ctx));
    try {
      const sessions = await Promise.all(
        Array.from({ length: 10 }, () => askPolicy(socket, [racer, racer])),
      );
      const answers = sessions.flat();
      expect(answers.filter((a) => a === 'action=DUNNO')).toHaveLength(4);
      expect(answers.filter((a) => a !== 'action=DUNNO')).toEqual(
        Array(16).fill(
          'action=452 4.7.1 Daily sending limit of 4 recipients reached for racer@counts.example; it resets at 2026-11-28T00:00:00Z',
        ),
      );
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
