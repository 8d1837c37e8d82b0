import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_RETRY_MS } from '../../src/core/credentials-retention.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { createOperator, OPERATOR_PASSWORD, signIn } from '../support/console-session.js';
import { DIALECTS } from '../support/dialects.js';
import type { Harness } from '../support/harness.js';
import {
  bulk,
  call,
  GENEROUS,
  MINUTE,
  parseCsv,
  runJobs,
  setLimits,
  startClockedHarness,
} from './bulk-support.js';

/**
 * The credentials download is a GET with an effect: HEAD must not trigger it, a console request
 * must carry the CSRF token, and a transfer that broke off must not lose the only copy.
 */
for (const dialect of DIALECTS) {
  describe(`credentials download on ${dialect}`, () => {
    let h: Harness;
    let time: Awaited<ReturnType<typeof startClockedHarness>>['time'];
    let names = 0;
    const sealedLeft = async (jobId: string) =>
      (
        await h.ctx.store.db
          .selectFrom('job_items')
          .select('sealed_password')
          .where('job_id', '=', jobId)
          .where('sealed_password', 'is not', null)
          .execute()
      ).length;
    /** A finished bulk job of `count` generated mailboxes, its credentials untouched. */
    const finishedJob = async (count = 2): Promise<string> => {
      const first = ['Anna', 'Bert', 'Cleo', 'Dirk', 'Ella', 'Finn', 'Gus', 'Hugo', 'Iris', 'Jens'][
        names++
      ]!;
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count, name: `${first} Lund`, quotaMb: 10 }),
      });
      expect(res.status, res.text).toBe(202);
      await runJobs(h);
      return res.body.job.id;
    };
    const secondToken = async () =>
      (await createApiToken(h.ctx, { account: 'alice', actor: 'test' })).token;

    beforeAll(async () => {
      ({ h, time } = await startClockedHarness(dialect));
      await h.verifiedDomain(h.alice, 'example.com');
      await setLimits(h, GENEROUS);
    });
    afterAll(() => h.close());

    it('answers HEAD with the headers and erases nothing: a GET after it gets the CSV', async () => {
      const id = await finishedJob();
      const url = `/v1/jobs/${id}/credentials.csv`;
      const head = await h.app.inject({
        method: 'HEAD',
        url,
        headers: { authorization: `Bearer ${h.alice.token}` },
      });
      expect(head.statusCode).toBe(200);
      expect(head.headers['content-type']).toMatch(/^text\/csv/);
      expect(head.headers['content-disposition']).toContain(`mailwright-credentials-${id}.csv`);
      expect(head.body).toBe('');
      expect((await call(h, 'GET', `/v1/jobs/${id}`)).body.credentials).toBe('available');
      expect(await sealedLeft(id)).toBe(2);

      const get = await call(h, 'GET', url);
      expect(get.status).toBe(200);
      expect(parseCsv(get.text).rows).toHaveLength(2);
      // HEAD now answers what GET would for another token: gone.
      const other = await h.app.inject({
        method: 'HEAD',
        url,
        headers: { authorization: `Bearer ${await secondToken()}` },
      });
      expect(other.statusCode).toBe(410);
    });

    it('requires X-CSRF-Token for the download from a console session, GET and HEAD alike', async () => {
      const id = await finishedJob();
      const url = `/v1/jobs/${id}/credentials.csv`;
      await createOperator(h, h.alice.actor, 'csrf@alice.test');
      const console = await signIn(h, 'csrf@alice.test', OPERATOR_PASSWORD);
      for (const method of ['GET', 'HEAD'] as const) {
        const forged = await h.app.inject({ method, url, headers: { cookie: console.cookie } });
        expect(forged.statusCode).toBe(403);
      }
      expect(await sealedLeft(id)).toBe(2);
      expect((await call(h, 'GET', `/v1/jobs/${id}`)).body.credentials).toBe('available');

      const res = await h.app.inject({
        method: 'GET',
        url,
        headers: { cookie: console.cookie, 'x-csrf-token': console.csrfToken },
      });
      expect(res.statusCode).toBe(200);
      expect(parseCsv(res.body).rows).toHaveLength(2);
    });

    it('keeps the credentials for the same token when the connection drops mid-download', async () => {
      const id = await finishedJob(7);
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = h.app.server.address() as AddressInfo;
      // Reads the status line and headers, then hangs up before taking the whole body.
      const status = await new Promise<string>((resolve, reject) => {
        const socket = net.connect({ host: '127.0.0.1', port }, () =>
          socket.write(
            `GET /v1/jobs/${id}/credentials.csv HTTP/1.1\r\nHost: localhost\r\n` +
              `Authorization: Bearer ${h.alice.token}\r\n\r\n`,
          ),
        );
        socket.once('data', (chunk) => {
          socket.destroy();
          resolve(chunk.toString('latin1').split('\r\n')[0]!);
        });
        socket.on('error', reject);
      });
      expect(status).toBe('HTTP/1.1 200 OK');

      const again = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`);
      expect(again.status).toBe(200);
      expect(parseCsv(again.text).rows).toHaveLength(7);
    });

    it('serves the same file again to the same token within the window, to no other token or session', async () => {
      const id = await finishedJob();
      const url = `/v1/jobs/${id}/credentials.csv`;
      const first = await call(h, 'GET', url);
      expect(first.status).toBe(200);
      expect((await call(h, 'GET', `/v1/jobs/${id}`)).body.credentials).toBe('downloaded');

      time.advance(CREDENTIALS_RETRY_MS - MINUTE);
      const second = await call(h, 'GET', url);
      expect(second.status).toBe(200);
      expect(second.text).toBe(first.text);

      const otherToken = await call(h, 'GET', url, { token: await secondToken() });
      expect(otherToken.status).toBe(410);
      expect(otherToken.body.code).toBe('credentials_already_downloaded');
      await createOperator(h, h.alice.actor, 'other@alice.test');
      const console = await signIn(h, 'other@alice.test', OPERATOR_PASSWORD);
      const otherSession = await h.app.inject({
        method: 'GET',
        url,
        headers: { cookie: console.cookie, 'x-csrf-token': console.csrfToken },
      });
      expect(otherSession.statusCode).toBe(410);
      // And a second session of the same user is another holder too.
      const sameUser = await signIn(h, 'other@alice.test', OPERATOR_PASSWORD);
      expect(
        (
          await h.app.inject({
            method: 'GET',
            url,
            headers: { cookie: sameUser.cookie, 'x-csrf-token': sameUser.csrfToken },
          })
        ).statusCode,
      ).toBe(410);
    });

    it('serves a console session again within the window, as it serves a token', async () => {
      const id = await finishedJob();
      const url = `/v1/jobs/${id}/credentials.csv`;
      await createOperator(h, h.alice.actor, 'again@alice.test');
      const console = await signIn(h, 'again@alice.test', OPERATOR_PASSWORD);
      const get = () =>
        h.app.inject({
          method: 'GET',
          url,
          headers: { cookie: console.cookie, 'x-csrf-token': console.csrfToken },
        });
      const first = await get();
      expect(first.statusCode).toBe(200);
      const second = await get();
      expect(second.statusCode).toBe(200);
      expect(second.body).toBe(first.body);
      expect((await call(h, 'GET', url)).status).toBe(410);
    });

    it('erases the passwords when the window ends: at the next download, or by the sweep', async () => {
      const lazy = await finishedJob();
      const swept = await finishedJob();
      expect((await call(h, 'GET', `/v1/jobs/${lazy}/credentials.csv`)).status).toBe(200);
      expect((await call(h, 'GET', `/v1/jobs/${swept}/credentials.csv`)).status).toBe(200);
      expect(await sealedLeft(lazy)).toBe(2);

      time.advance(CREDENTIALS_RETRY_MS);
      const late = await call(h, 'GET', `/v1/jobs/${lazy}/credentials.csv`);
      expect(late.status).toBe(410);
      expect(late.body.code).toBe('credentials_already_downloaded');
      expect(await sealedLeft(lazy)).toBe(0);

      expect(await sealedLeft(swept)).toBe(2);
      await new JobRunner(h.ctx).sweepCredentials();
      expect(await sealedLeft(swept)).toBe(0);
      expect((await call(h, 'GET', `/v1/jobs/${swept}`)).body.credentials).toBe('downloaded');
      expect((await call(h, 'GET', `/v1/jobs/${swept}/credentials.csv`)).status).toBe(410);
    });

    it('serves a concurrent first download by several tokens to exactly one of them', async () => {
      const id = await finishedJob(1);
      const url = `/v1/jobs/${id}/credentials.csv`;
      const tokens = [h.alice.token, await secondToken(), await secondToken()];
      const replies = await Promise.all(tokens.map((token) => call(h, 'GET', url, { token })));
      expect(replies.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    });
  });
}
