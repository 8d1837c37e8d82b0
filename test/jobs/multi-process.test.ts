import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { updateDomain } from '../../src/services/domains/update-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { openStore, type Store } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { testContext } from '../support/context.js';
import { PG_URL } from '../support/dialects.js';
import {
  buildRelease,
  kill9,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js';

/**
 * The supported way to outgrow one machine (docs/deployment.md): several API and job-runner
 * processes on one PostgreSQL, clients talking to any of them. PostgreSQL only: SQLite is the
 * single-host database.
 */
const SECRET_KEY = '7a1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
const LEASE_SECONDS = 2;
const PROCESSES = 3;
// Yields 57 realistic addresses, so one bulk request can ask for 40.
const PERSONA = 'Mary Ann Smith-Jones';
const FIRST = [
  'Anna',
  'Boris',
  'Clara',
  'David',
  'Elena',
  'Felix',
  'Greta',
  'Hugo',
  'Irene',
  'Jonas',
];
const LAST = ['Miller', 'Novak', 'Weber', 'Keller', 'Brandt'];
/** Fifty distinct people, so no two requests compete for an address. */
const FIFTY = LAST.flatMap((last) => FIRST.map((first) => `${first} ${last}`));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reply {
  status: number;
  body: any;
}

interface JobJson {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  finishedAt: string | null;
}

describe('three Mailwright processes on one PostgreSQL schema', () => {
  let release: Awaited<ReturnType<typeof buildRelease>>;
  let schema: string;
  let url: string;
  let store: Store;
  let ctx: ServiceContext;
  let actor: Actor;
  let token: string;
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];

  /** `npm start`'s server from the release directory, one data dir per process (host). */
  function start(env: Record<string, string> = {}): Promise<ServerProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailwright-multi-'));
    dataDirs.push(dataDir);
    return startServerProcess(
      {
        MAILWRIGHT_DATABASE_URL: url,
        MAILWRIGHT_DATA_DIR: dataDir,
        MAILWRIGHT_SECRET_KEY: SECRET_KEY,
        MAILWRIGHT_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
        // One hash at a time: batches take long enough to kill a process between them.
        MAILWRIGHT_HASH_CONCURRENCY: '1',
        ...env,
      },
      { args: release.args, cwd: release.root },
    );
  }

  async function call(
    server: ServerProcess,
    method: string,
    path: string,
    body?: unknown,
    as = token,
  ): Promise<Reply> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${as}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text && text[0] === '{' ? JSON.parse(text) : text };
  }

  const bulk = (name: string, domain: string, count: number) => ({
    mode: 'bulk',
    name,
    domain,
    count,
    quotaMb: 10,
    password: { generate: true },
  });

  /** Request `i` goes to process `i mod 3`, as clients picking any process would spread them. */
  const spread = (i: number) => servers[i % servers.length]!;

  async function waitForJobs(ids: string[], as = token): Promise<JobJson[]> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const jobs = await Promise.all(
        ids.map(
          async (id, i) =>
            (await call(spread(i), 'GET', `/v1/jobs/${id}`, undefined, as)).body as JobJson,
        ),
      );
      if (jobs.every((j) => j.finishedAt !== null)) return jobs;
      expect(Date.now(), `jobs did not finish: ${JSON.stringify(jobs)}`).toBeLessThan(deadline);
      await sleep(100);
    }
  }

  const countWhere = async (table: 'mailboxes' | 'events', action?: string, target?: string) => {
    let query = store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
    if (table === 'events' && action) {
      query = query.where('action' as never, '=', action as never);
      if (target) query = query.where('target' as never, '=', target as never);
    }
    return Number((await query.executeTakeFirstOrThrow()).n);
  };

  async function verifiedDomain(name: string, mailboxLimit: number, owner = actor): Promise<void> {
    await addDomain(ctx, owner, { name });
    await verifyDomain(ctx, owner, name, { manual: true });
    await updateDomain(ctx, owner, name, { mailboxLimit, quotaMb: 100_000 });
  }

  async function addressesOn(domain: string): Promise<string[]> {
    const rows = await store.db
      .selectFrom('mailboxes')
      .innerJoin('domains', 'domains.id', 'mailboxes.domain_id')
      .select('mailboxes.address')
      .where('domains.name', '=', domain)
      .execute();
    return rows.map((r) => r.address);
  }

  beforeAll(async () => {
    release = await buildRelease();
    // An empty schema: the three processes bring it up to date themselves, at the same time.
    schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    servers.push(...(await Promise.all(Array.from({ length: PROCESSES }, () => start()))));

    store = openStore(url);
    ctx = testContext(store, { key: Buffer.from(SECRET_KEY, 'hex') });
    const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
    actor = { accountId: account.id, name: 'test' };
    ({ token } = await createApiToken(ctx, { account: 'acme', actor: 'test' }));
    await setAccountLimits(ctx, {
      account: 'acme',
      changes: {
        maxBulkCount: 40,
        maxMailboxesPerDomain: 100,
        cooldownThreshold: 10_000,
        maxMailboxesPerHour: 100_000,
      },
      actor: 'test',
    });
  }, 180_000);

  afterAll(async () => {
    for (const server of servers) await kill9(server.proc);
    await store?.close();
    if (schema) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
    for (const dir of [...dataDirs, release?.root]) if (dir) rmSync(dir, { recursive: true });
  });

  it('started at once on an empty schema, they migrate it once and one of them shows the first token', async () => {
    const tokens = servers.filter((s) => /^\s+mw_[\w-]{43}$/m.test(s.output()));
    expect(tokens, servers.map((s) => s.output()).join('\n---\n')).toHaveLength(1);
    const applied = await store.db
      .selectFrom('kysely_migration' as never)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(applied.n)).toBe(MIGRATIONS.length);
    expect(await countWhere('events', 'account.created', 'admin')).toBe(1);
  });

  it('refuses to start a process whose server key is not the one the database was set up with', async () => {
    const other = start({ MAILWRIGHT_SECRET_KEY: randomBytes(32).toString('hex') });
    await expect(other).rejects.toThrow(/another server key/);
  }, 60_000);

  it('bulk jobs submitted to every process finish exactly once each', async () => {
    for (let i = 0; i < PROCESSES; i++) await verifiedDomain(`spread${i}.example`, 100);
    const replies = await Promise.all(
      FIFTY.slice(0, 2 * PROCESSES).map((name, i) =>
        call(spread(i), 'POST', '/v1/mailboxes', bulk(name, `spread${i % PROCESSES}.example`, 10)),
      ),
    );
    for (const r of replies) expect(r.status, JSON.stringify(r.body)).toBe(202);
    const ids = replies.map((r) => r.body.job.id as string);
    const jobs = await waitForJobs(ids);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'succeeded', total: 10, done: 10, failed: 0 });
      expect(await countWhere('events', 'job.finished', job.id)).toBe(1);
    }
    const addresses = (
      await Promise.all(
        Array.from({ length: PROCESSES }, (_, i) => addressesOn(`spread${i}.example`)),
      )
    ).flat();
    expect(addresses).toHaveLength(10 * ids.length);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(await countWhere('mailboxes')).toBe(addresses.length);
    expect(await countWhere('events', 'mailbox.created')).toBe(addresses.length);
  }, 120_000);

  it('kill -9 of the process running a job: another takes it over after the lease, counts and credentials exact', async () => {
    await verifiedDomain('crash.example', 100);
    const before = await countWhere('mailboxes');
    const accepted = await call(
      servers[0]!,
      'POST',
      '/v1/mailboxes',
      bulk(PERSONA, 'crash.example', 40),
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const id = accepted.body.job.id as string;

    // Kill whichever process holds the lease as soon as some, not all, batches are committed.
    const jobRow = () =>
      store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    let row = await jobRow();
    const deadline = Date.now() + 30_000;
    while (row.done === 0 || row.lease_owner === null) {
      expect(Date.now(), 'no batch was committed in time').toBeLessThan(deadline);
      expect(row.finished_at, 'the job finished before it could be killed').toBeNull();
      await sleep(10);
      row = await jobRow();
    }
    // The runner's id names its process: runner:<host>:<pid>:<uuid>.
    const pid = Number(row.lease_owner!.split(':')[2]);
    const victim = servers.findIndex((s) => s.proc.pid === pid);
    expect(victim, row.lease_owner!).toBeGreaterThanOrEqual(0);
    await kill9(servers[victim]!.proc);
    servers.splice(victim, 1);

    const crashed = await jobRow();
    expect(crashed.done).toBeLessThan(40);
    expect(crashed.finished_at).toBeNull();
    expect(await addressesOn('crash.example')).toHaveLength(crashed.done);

    const [finished] = await waitForJobs([id]);
    expect(finished).toMatchObject({ status: 'succeeded', total: 40, done: 40, failed: 0 });
    // Taken over only once the dead process's lease had run out: nothing was created between.
    const beforeLeaseEnd = await store.db
      .selectFrom('mailboxes')
      .innerJoin('domains', 'domains.id', 'mailboxes.domain_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('domains.name', '=', 'crash.example')
      .where('mailboxes.created_at', '<=', crashed.lease_until!)
      .executeTakeFirstOrThrow();
    expect(Number(beforeLeaseEnd.n)).toBe(crashed.done);

    const mailboxes = await store.db
      .selectFrom('mailboxes')
      .innerJoin('domains', 'domains.id', 'mailboxes.domain_id')
      .select(['mailboxes.address', 'mailboxes.password_hash'])
      .where('domains.name', '=', 'crash.example')
      .execute();
    expect(mailboxes).toHaveLength(40);
    expect(new Set(mailboxes.map((m) => m.address)).size).toBe(40);
    expect(await countWhere('mailboxes')).toBe(before + 40);
    expect(await countWhere('events', 'job.finished', id)).toBe(1);

    // The credentials, sealed at acceptance, download once from any process and all log in.
    const download = await call(servers[0]!, 'GET', `/v1/jobs/${id}/credentials.csv`);
    expect(download.status).toBe(200);
    const records = parse(download.body as string, { columns: true }) as {
      email: string;
      password: string;
    }[];
    expect(records).toHaveLength(40);
    const hashes = new Map(mailboxes.map((m) => [m.address, m.password_hash]));
    for (const r of records) {
      expect(await verifyPassword(r.password, hashes.get(r.email)!), r.email).toBe(true);
    }
    // The same holder's retry of a broken transfer works on another process too.
    const retry = await call(servers[1]!, 'GET', `/v1/jobs/${id}/credentials.csv`);
    expect(retry).toEqual(download);

    servers.push(await start());
  }, 180_000);

  describe('50 concurrent requests spread over the three', () => {
    it('hold a hostname’s mailbox limit exactly', async () => {
      expect(servers).toHaveLength(PROCESSES);
      await verifiedDomain('race.example', 10);
      const replies = await Promise.all(
        FIFTY.map((name, i) =>
          call(spread(i), 'POST', '/v1/mailboxes', bulk(name, 'race.example', 3)),
        ),
      );
      const accepted = replies.filter((r) => r.status === 202);
      expect(accepted).toHaveLength(3);
      for (const r of replies.filter((r) => r.status !== 202)) {
        expect(r.status).toBe(422);
        expect(r.body).toMatchObject({ code: 'limit_exceeded', limit: 'mailboxLimit', usage: 9 });
      }
      await waitForJobs(accepted.map((r) => r.body.job.id as string));
      expect(await addressesOn('race.example')).toHaveLength(9);
    }, 120_000);

    it('hold the bulk cooldown exactly: one request starts it, the other 49 wait', async () => {
      // An account of its own: the jobs above would have started its cooldown already.
      const cool = await createAccount(ctx, { name: 'cool', actor: 'test' });
      const { token: coolToken } = await createApiToken(ctx, { account: 'cool', actor: 'test' });
      await setAccountLimits(ctx, {
        account: 'cool',
        changes: { maxMailboxesPerDomain: 100, cooldownThreshold: 2, cooldownSeconds: 3600 },
        actor: 'test',
      });
      await verifiedDomain('cool.example', 100, { accountId: cool.id, name: 'test' });
      const replies = await Promise.all(
        FIFTY.map((name, i) =>
          call(spread(i), 'POST', '/v1/mailboxes', bulk(name, 'cool.example', 3), coolToken),
        ),
      );
      const accepted = replies.filter((r) => r.status === 202);
      expect(accepted).toHaveLength(1);
      for (const r of replies.filter((r) => r.status !== 202)) {
        expect(r.status).toBe(429);
        expect(r.body).toMatchObject({ code: 'cooldown_active' });
      }
      await waitForJobs([accepted[0]!.body.job.id as string], coolToken);
      expect(await addressesOn('cool.example')).toHaveLength(3);
    }, 120_000);

    it('hold the hourly limit exactly against single creations', async () => {
      await verifiedDomain('hourly.example', 100);
      const usage: number = (await call(servers[0]!, 'GET', '/v1/limits')).body.usage
        .mailboxesLastHour;
      await setAccountLimits(ctx, {
        account: 'acme',
        changes: { maxMailboxesPerHour: usage + 7 },
        actor: 'test',
      });
      const replies = await Promise.all(
        FIFTY.map((name, i) =>
          call(spread(i), 'POST', '/v1/mailboxes', {
            mode: 'single',
            name,
            localPart: name.toLowerCase().replace(' ', '.'),
            domain: 'hourly.example',
            password: { generate: true },
            quotaMb: 10,
          }),
        ),
      );
      expect(replies.filter((r) => r.status === 201)).toHaveLength(7);
      for (const r of replies.filter((r) => r.status !== 201)) {
        expect(r.status).toBe(422);
        expect(r.body).toMatchObject({ code: 'limit_exceeded', limit: 'maxMailboxesPerHour' });
      }
      expect(await addressesOn('hourly.example')).toHaveLength(7);
    }, 120_000);
  });
});
