import type { ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts/create-account.js';
import type { ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { createWebhook } from '../../src/services/webhooks/create-webhook.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { kill9, startServerProcess } from '../support/server-process.js';

const SECRET_KEY = '1f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f1';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Standard Webhooks' check, as a receiver would write it from the docs. */
function verifies(secret: string, header: string, body: string): boolean {
  const { t, v1 } = Object.fromEntries(header.split(',').map((p) => p.split('=', 2))) as {
    t: string;
    v1: string;
  };
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

for (const dialect of DIALECTS) {
  describe(`a webhook delivery survives kill -9 of its server on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshStore>>;
    let ctx: ServiceContext;
    let actor: { accountId: string; name: string };
    let dataDir: string;
    const running: ChildProcess[] = [];
    const received: Received[] = [];
    /** Responses the receiver holds open: the first request gets no answer before the kill. */
    const held: ServerResponse[] = [];
    let answer = false;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (answer) res.writeHead(204).end();
        else held.push(res);
      });
    });

    const startServer = () =>
      startServerProcess({
        MAILWRIGHT_DATABASE_URL: db.url,
        MAILWRIGHT_DATA_DIR: dataDir,
        MAILWRIGHT_SECRET_KEY: SECRET_KEY,
        MAILWRIGHT_WEBHOOK_ALLOW_PRIVATE: '1',
      }).then((server) => {
        running.push(server.proc);
        return server;
      });

    beforeAll(async () => {
      db = await freshStore(dialect);
      dataDir = mkdtempSync(join(tmpdir(), 'mailwright-webhook-kill-'));
      ctx = {
        ...testContext(db.store, { key: Buffer.from(SECRET_KEY, 'hex') }),
        webhookAllowPrivate: true,
      };
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
      actor = { accountId: account.id, name: 'test' };
      await addDomain(ctx, actor, { name: 'example.com' });
      await verifyDomain(ctx, actor, 'example.com', { manual: true });
    });
    afterEach(async () => {
      for (const proc of running.splice(0)) await kill9(proc);
    });
    afterAll(async () => {
      for (const res of held) res.destroy();
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
      await db?.drop();
    });

    it('delivers the event once the claim of the killed process lapses, signed, with its id', async () => {
      const { port } = receiver.address() as AddressInfo;
      const hook = await createWebhook(ctx, actor, {
        url: `http://127.0.0.1:${port}/hooks`,
        events: ['mailbox.created'],
      });
      // Written with the mailbox, in its transaction: the outbox row the server will claim.
      await createMailbox(ctx, actor, {
        name: 'Webhook Person',
        localPart: 'hooked',
        domain: 'example.com',
        password: { generate: true },
      });

      const first = await startServer();
      // The server claimed the delivery and is waiting for an answer that never comes: killed.
      await until('the first attempt', () => received.length === 1, 60_000);
      await kill9(first.proc);
      // Nothing recorded the lost attempt: only the claim on the row says it was taken.
      expect(
        await db.store.db
          .selectFrom('webhook_deliveries')
          .select(['status', 'attempts'])
          .executeTakeFirstOrThrow(),
      ).toMatchObject({ status: 'pending', attempts: 0 });

      answer = true;
      await startServer();
      // The claim lasts three attempt timeouts; then the new process retries.
      await until('the retry after the restart', () => received.length === 2, 90_000);
      const [lost, retried] = received as [Received, Received];
      expect(retried.headers['mailwright-delivery']).toBe(lost.headers['mailwright-delivery']);
      expect(retried.body).toBe(lost.body);
      expect(JSON.parse(retried.body)).toMatchObject({
        type: 'mailbox.created',
        data: expect.objectContaining({ target: 'hooked@example.com' }),
      });
      expect(
        verifies(hook.secret!, retried.headers['mailwright-signature'] as string, retried.body),
      ).toBe(true);
      const delivery = () =>
        db.store.db
          .selectFrom('webhook_deliveries')
          .select(['status', 'attempts'])
          .executeTakeFirstOrThrow();
      await until(
        'the retry to be recorded',
        async () => (await delivery()).status !== 'pending',
        10_000,
      );
      expect(await delivery()).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(received).toHaveLength(2);
    }, 180_000);
  });
}
