import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { updateDomain } from '../../src/services/domains/update-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { kill9, startServerProcess, type ServerProcess } from '../support/server-process.js';

const SECRET_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
const TOTAL = 40;
// Yields 57 realistic addresses, so one bulk request can ask for 40.
const PERSONA = 'Mary Ann Smith-Jones';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of DIALECTS) {
  describe(`a bulk job survives kill -9 of its server on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let ctx: ServiceContext;
    let token: string;
    let dataDir: string;
    const running: ChildProcess[] = [];

    /** The real server process, as `npm start` runs it, on the test's database. */
    function startServer(): Promise<ServerProcess> {
      return startServerProcess({
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: dataDir,
        MAILWRIGHT_SECRET_KEY: SECRET_KEY,
        MAILWRIGHT_JOB_LEASE_SECONDS: '2',
        // One hash at a time: batches of 16 take long enough to kill the process between them.
        MAILWRIGHT_HASH_CONCURRENCY: '1',
      }).then((server) => {
        running.push(server.proc);
        return server;
      });
    }

    const api = (server: ServerProcess, path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
      });

    const jobRow = (id: string) =>
      db.store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    const mailboxesOf = async (id: string) => {
      const targets = (
        await db.store.db
          .selectFrom('job_items')
          .select('target')
          .where('job_id', '=', id)
          .execute()
      ).map((r) => r.target);
      return db.store.db
        .selectFrom('mailboxes')
        .select(['address', 'password_hash'])
        .where('address', 'in', targets)
        .execute();
    };

    beforeAll(async () => {
      db = await freshStore(dialect);
      dataDir = mkdtempSync(join(tmpdir(), 'mailwright-kill-'));
      ctx = testContext(db.store, { key: Buffer.from(SECRET_KEY, 'hex') });
      const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
      ({ token } = await createApiToken(ctx, { account: 'acme', actor: 'test' }));
      const actor = { accountId: account.id, name: 'test' };
      await setAccountLimits(ctx, {
        account: 'acme',
        changes: { maxBulkCount: TOTAL, maxMailboxesPerDomain: 100 },
        actor: 'test',
      });
      await addDomain(ctx, actor, { name: 'example.com' });
      await verifyDomain(ctx, actor, 'example.com', { manual: true });
      await updateDomain(ctx, actor, 'example.com', { mailboxLimit: 100, quotaMb: 100_000 });
    });
    afterEach(async () => {
      for (const proc of running.splice(0)) await kill9(proc);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('resumes on a new process: every mailbox once, every credential working', async () => {
      const first = await startServer();
      const accepted = await api(first, '/v1/mailboxes', {
        method: 'POST',
        body: JSON.stringify({
          mode: 'bulk',
          name: PERSONA,
          domain: 'example.com',
          count: TOTAL,
          password: { generate: true },
        }),
      });
      expect(accepted.status, await accepted.clone().text()).toBe(202);
      const { job } = (await accepted.json()) as { job: { id: string; total: number } };
      expect(job.total).toBe(TOTAL);

      // Kill the server as soon as some, but not all, batches are committed.
      let seen = 0;
      const deadline = Date.now() + 15_000;
      while (seen === 0) {
        expect(Date.now(), 'no batch was committed in time').toBeLessThan(deadline);
        const progress = (await (await api(first, `/v1/jobs/${job.id}`)).json()) as {
          done: number;
        };
        expect(progress.done, 'the job finished before it could be killed').toBeLessThan(TOTAL);
        seen = progress.done;
        if (seen === 0) await sleep(10);
      }
      await kill9(first.proc);

      const crashed = await jobRow(job.id);
      expect(crashed.status).toBe('running');
      expect(crashed.done).toBeGreaterThanOrEqual(seen);
      expect(crashed.done).toBeLessThan(TOTAL);
      expect(crashed.lease_owner).not.toBeNull();
      expect(crashed.finished_at).toBeNull();
      // Only committed batches left mailboxes behind.
      expect(await mailboxesOf(job.id)).toHaveLength(crashed.done);

      const second = await startServer();
      let finished: { status: string; total: number; done: number; failed: number } | undefined;
      const resumeDeadline = Date.now() + 20_000;
      while (!finished) {
        expect(Date.now(), `the job was not resumed:\n${second.output()}`).toBeLessThan(
          resumeDeadline,
        );
        const body = (await (await api(second, `/v1/jobs/${job.id}`)).json()) as {
          status: string;
          total: number;
          done: number;
          failed: number;
          finishedAt: string | null;
        };
        if (body.finishedAt) finished = body;
        else await sleep(100);
      }
      expect(finished).toMatchObject({ status: 'succeeded', total: TOTAL, done: TOTAL, failed: 0 });

      // Exactly one mailbox per planned address: nothing lost, nothing created twice.
      const mailboxes = await mailboxesOf(job.id);
      expect(mailboxes).toHaveLength(TOTAL);
      expect(new Set(mailboxes.map((m) => m.address)).size).toBe(TOTAL);
      const all = await db.store.db
        .selectFrom('mailboxes')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(all.n)).toBe(TOTAL);
      const created = await db.store.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', '=', 'mailbox.created')
        .executeTakeFirstOrThrow();
      expect(Number(created.n)).toBe(TOTAL);

      // The credentials, sealed before the crash, download once and log in, for every mailbox.
      const download = await api(second, `/v1/jobs/${job.id}/credentials.csv`);
      expect(download.status).toBe(200);
      const records = parse(await download.text(), { columns: true }) as {
        email: string;
        password: string;
      }[];
      expect(records).toHaveLength(TOTAL);
      const hashes = new Map(mailboxes.map((m) => [m.address, m.password_hash]));
      for (const r of records) {
        expect(hashes.has(r.email), r.email).toBe(true);
        expect(await verifyPassword(r.password, hashes.get(r.email)!), r.email).toBe(true);
      }
      const after = (await (await api(second, `/v1/jobs/${job.id}`)).json()) as {
        credentials: string;
      };
      expect(after.credentials).toBe('downloaded');
    }, 120_000);
  });
}
