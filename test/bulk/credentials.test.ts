import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_RETRY_MS } from '../../src/core/credentials-retention.js';
import { verifyPassword } from '../../src/core/password-hash.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import { bulk, call, HOUR, parseCsv, runJobs, startClockedHarness } from './bulk-support.js';
import { storedHash as storedHashOf } from '../support/mailbox-fixtures.js';

const CSV_COLUMNS = [
  'email',
  'password',
  'name',
  'imap_host',
  'imap_port',
  'smtp_host',
  'smtp_port',
];

for (const dialect of DIALECTS) {
  describe(`one-time credentials CSV on ${dialect}`, () => {
    let h: Harness;
    let time: Awaited<ReturnType<typeof startClockedHarness>>['time'];
    const storedHash = (address: string) => storedHashOf(h.ctx.store, address);
    const sealed = (jobId: string) =>
      h.ctx.store.db
        .selectFrom('job_items')
        .select('sealed_password')
        .where('job_id', '=', jobId)
        .orderBy('seq')
        .execute();
    /** The database as stored at rest: the SQLite file and its WAL, or PostgreSQL's sealed column. */
    const sqliteBytes = () => {
      const path = h.url.slice('sqlite:'.length);
      return Buffer.concat(
        [path, `${path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)),
      );
    };

    beforeAll(async () => {
      ({ h, time } = await startClockedHarness(dialect));
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.alice, 'other.com');
    });
    afterAll(() => h.close());

    it('serves the credentials once, as CSV whose passwords log in, sealed at rest until then', async () => {
      const queued = await call(h, 'POST', '/v1/mailboxes', { body: bulk({ count: 3 }) });
      expect(queued.status).toBe(202);
      const id: string = queued.body.job.id;

      const early = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('job_not_finished');

      await runJobs(h);
      expect((await call(h, 'GET', `/v1/jobs/${id}`)).body).toMatchObject({
        status: 'succeeded',
        credentials: 'available',
      });
      // Captured before the download, while the credentials wait in the database.
      const atRest = dialect === 'sqlite' ? sqliteBytes() : undefined;
      const sealedBefore = (await sealed(id)).map((r) => r.sealed_password);
      expect(sealedBefore).toHaveLength(3);

      // Another account cannot see the job at all.
      expect(
        (await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`, { token: h.bob.token })).status,
      ).toBe(404);

      const res = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-disposition']).toContain(`mailwright-credentials-${id}.csv`);
      const { header, rows } = parseCsv(res.text);
      expect(header).toEqual(expect.arrayContaining(CSV_COLUMNS));
      expect(rows.map((r) => r.email)).toEqual([
        'josh@example.com',
        'josh.smith@example.com',
        'jsmith@example.com',
      ]);
      for (const row of rows) {
        expect(row).toMatchObject({
          name: 'Josh Smith',
          imap_host: 'mail.test',
          imap_port: '993',
          smtp_host: 'mail.test',
          smtp_port: '587',
        });
        expect(row.password!.length).toBeGreaterThanOrEqual(20);
        expect(await verifyPassword(row.password!, await storedHash(row.email!))).toBe(true);
      }
      const passwords = rows.map((r) => r.password!);
      expect(new Set(passwords).size).toBe(3);

      // Encrypted at rest: no plaintext in what was stored before the download.
      if (atRest) {
        // The bytes are the live database: the addresses are in them.
        expect(atRest.includes(Buffer.from('josh.smith@example.com'))).toBe(true);
        for (const password of passwords)
          expect(atRest.includes(Buffer.from(password))).toBe(false);
      }
      for (const value of sealedBefore) {
        expect(value).toMatch(/^v1\./);
        for (const password of passwords) expect(value).not.toContain(password);
      }
      if (dialect === 'postgres') {
        const dump = JSON.stringify(
          await h.ctx.store.db.selectFrom('job_items').selectAll().execute(),
        );
        for (const password of passwords) expect(dump).not.toContain(password);
      }

      // Served once: another token is refused at once, and the passwords are erased when the
      // downloader's retry window ends (credentials-download.test.ts covers the window).
      const other = (await createApiToken(h.ctx, { account: 'alice', actor: 'test' })).token;
      const second = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`, { token: other });
      expect(second.status).toBe(410);
      expect(second.body.code).toBe('credentials_already_downloaded');
      expect((await call(h, 'GET', `/v1/jobs/${id}`)).body.credentials).toBe('downloaded');
      time.advance(CREDENTIALS_RETRY_MS);
      await new JobRunner(h.ctx).sweepCredentials();
      expect((await sealed(id)).every((r) => r.sealed_password === null)).toBe(true);
      expect((await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`)).status).toBe(410);

      // The audit log never holds a password: neither in events nor in the job's parameters.
      const events = JSON.stringify(
        await h.ctx.store.db.selectFrom('events').selectAll().execute(),
      );
      const jobs = JSON.stringify(await h.ctx.store.db.selectFrom('jobs').selectAll().execute());
      for (const password of passwords) {
        expect(events).not.toContain(password);
        expect(jobs).not.toContain(password);
      }
      expect(events).toContain('credentials.downloaded');
    });

    it('serves a concurrent double download by one token to it, consistently', async () => {
      const queued = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count: 1, name: 'Carl Dahl' }),
      });
      await runJobs(h);
      const url = `/v1/jobs/${queued.body.job.id}/credentials.csv`;
      const replies = await Promise.all([
        call(h, 'GET', url),
        call(h, 'GET', url),
        call(h, 'GET', url),
      ]);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    });

    it('never puts a manual password in events or job parameters', async () => {
      const value = 'Quartz-Lantern-Meadow-41';
      const queued = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count: 2, name: 'Dora Eck', password: { generate: false, value } }),
      });
      expect(queued.status).toBe(202);
      await runJobs(h);
      const atRest = dialect === 'sqlite' ? sqliteBytes() : undefined;
      if (atRest) expect(atRest.includes(Buffer.from(value))).toBe(false);
      const events = JSON.stringify(
        await h.ctx.store.db.selectFrom('events').selectAll().execute(),
      );
      const jobs = JSON.stringify(await h.ctx.store.db.selectFrom('jobs').selectAll().execute());
      expect(events).not.toContain(value);
      expect(jobs).not.toContain(value);
      expect(await verifyPassword(value, await storedHash('dora@example.com'))).toBe(true);
    });

    it('erases credentials not downloaded within 24 hours of the job finishing: 410 credentials_expired', async () => {
      const queued = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count: 2, domain: 'other.com' }),
      });
      const id: string = queued.body.job.id;
      await runJobs(h);

      time.advance(23 * HOUR);
      await new JobRunner(h.ctx).sweepCredentials();
      expect((await call(h, 'GET', `/v1/jobs/${id}`)).body.credentials).toBe('available');
      expect((await sealed(id)).every((r) => r.sealed_password !== null)).toBe(true);

      time.advance(2 * HOUR);
      await new JobRunner(h.ctx).sweepCredentials();
      expect((await sealed(id)).every((r) => r.sealed_password === null)).toBe(true);
      expect((await call(h, 'GET', `/v1/jobs/${id}`)).body.credentials).toBe('expired');
      const res = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`);
      expect(res.status).toBe(410);
      expect(res.body.code).toBe('credentials_expired');
      // The mailboxes themselves stay.
      expect((await call(h, 'GET', '/v1/mailboxes/josh@other.com')).status).toBe(200);
    });

    it('has no credentials for a job that creates no mailboxes', async () => {
      const single = await call(h, 'POST', '/v1/mailboxes', {
        body: {
          mode: 'single',
          name: 'Erik Falk',
          localPart: 'erik',
          domain: 'example.com',
          password: { generate: true },
        },
      });
      expect(single.status).toBe(201);
      time.advance(HOUR);
      const del = await call(h, 'POST', '/v1/mailboxes/bulk-delete', {
        body: { addresses: ['erik@example.com'] },
      });
      expect(del.status).toBe(202);
      expect(del.body.job.credentials).toBe('none');
      await runJobs(h);
      expect((await call(h, 'GET', `/v1/jobs/${del.body.job.id}/credentials.csv`)).status).toBe(
        404,
      );
    });
  });
}
