import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  WEBHOOK_DELIVERY_RETENTION_DAYS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from '../../src/core/webhooks.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { deliverDueWebhooks } from '../../src/services/webhooks/deliver-webhooks.js';
import { openStore } from '../../src/store/database.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 only, answering `status` (changeable) to every POST. */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  status: { code: number };
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const status = { code: 204 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = status.code;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    status,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What a receiver does (docs/security.md): recompute the HMAC of "t.body" with the secret. */
function verifies(secret: string, header: string, body: string): boolean {
  const { t, v1 } = Object.fromEntries(header.split(',').map((p) => p.split('=', 2))) as {
    t: string;
    v1: string;
  };
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex') === v1;
}

for (const dialect of DIALECTS) {
  describe(`webhooks on ${dialect}`, () => {
    let h: Harness;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let now = new Date('2026-12-01T10:00:00.000Z');

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => now });
      receiver = await startReceiver();
      await h.verifiedDomain(h.alice, 'example.com');
    });
    afterAll(async () => {
      await receiver.close();
      await h.close();
    });
    beforeEach(() => {
      h.ctx.webhookAllowPrivate = true;
      receiver.received.length = 0;
      receiver.status.code = 204;
    });

    const addHook = async (events: string[]) => {
      const res = await h.request('POST', '/v1/webhooks', {
        body: { url: receiver.url, events },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; secret: string };
    };
    const deleteMailbox = async (local: string) => {
      const created = await h.request('POST', '/v1/mailboxes', {
        body: {
          mode: 'single',
          name: 'Ann Lee',
          localPart: local,
          domain: 'example.com',
          password: { generate: true },
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const address = created.body.mailbox.address as string;
      expect(
        (await h.request('DELETE', `/v1/mailboxes/${encodeURIComponent(address)}`)).status,
      ).toBe(204);
      return address;
    };

    it('delivers a finished job, signed with the secret shown once', async () => {
      const hook = await addHook(['job.finished']);
      expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const listed = await h.request('GET', '/v1/webhooks');
      expect(listed.body.items).toEqual([
        { id: hook.id, url: receiver.url, events: ['job.finished'], createdAt: now.toISOString() },
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(hook.secret);

      const bulk = await h.request('POST', '/v1/mailboxes', {
        body: {
          mode: 'bulk',
          name: 'Anna Berg',
          domain: 'example.com',
          count: 2,
          password: { generate: true },
        },
      });
      expect(bulk.status, JSON.stringify(bulk.body)).toBe(202);
      await new JobRunner(h.ctx).runPending();
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);

      expect(receiver.received).toHaveLength(1);
      const [got] = receiver.received;
      expect(got!.headers['mailwright-event']).toBe('job.finished');
      expect(got!.headers['content-type']).toBe('application/json');
      const signature = got!.headers['mailwright-signature'] as string;
      expect(signature).toMatch(
        new RegExp(`^t=${Math.floor(now.getTime() / 1000)},v1=[0-9a-f]{64}$`),
      );
      expect(verifies(hook.secret, signature, got!.body)).toBe(true);
      expect(verifies(`${hook.secret}x`, signature, got!.body)).toBe(false);
      expect(JSON.parse(got!.body)).toEqual({
        id: expect.any(String),
        type: 'job.finished',
        createdAt: now.toISOString(),
        data: expect.objectContaining({
          target: bulk.body.job.id,
          kind: 'bulk_mailboxes',
          done: 2,
        }),
      });
      const log = await h.request('GET', `/v1/webhooks/${hook.id}/deliveries`);
      expect(log.body.items).toEqual([
        expect.objectContaining({
          id: got!.headers['mailwright-delivery'],
          event: 'job.finished',
          status: 'delivered',
          attempts: 1,
          responseStatus: 204,
        }),
      ]);
      expect(await deliverDueWebhooks(h.ctx)).toBe(0);
      await h.request('DELETE', `/v1/webhooks/${hook.id}`);
    });

    it('retries a 500 later, after the backoff, not before', async () => {
      const hook = await addHook(['mailbox.deleted']);
      receiver.status.code = 500;
      await deleteMailbox('retry');
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);
      const [failed] = (await h.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).body.items;
      const firstDelay = WEBHOOK_RETRY_DELAYS_SECONDS[0]! * 1000;
      expect(failed).toMatchObject({
        status: 'pending',
        attempts: 1,
        responseStatus: 500,
        error: 'HTTP 500',
        nextAttemptAt: new Date(now.getTime() + firstDelay).toISOString(),
      });

      receiver.status.code = 200;
      now = new Date(now.getTime() + firstDelay - 1000);
      expect(await deliverDueWebhooks(h.ctx)).toBe(0);
      now = new Date(now.getTime() + 1000);
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);
      expect(receiver.received).toHaveLength(2);
      // The same event and body on each attempt, signed anew.
      expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
      expect(
        verifies(
          hook.secret,
          receiver.received[1]!.headers['mailwright-signature'] as string,
          receiver.received[1]!.body,
        ),
      ).toBe(true);
      const [settled] = (await h.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).body.items;
      expect(settled).toMatchObject({ status: 'delivered', attempts: 2, nextAttemptAt: null });
      await h.request('DELETE', `/v1/webhooks/${hook.id}`);
    });

    it('sends nothing more to a deleted endpoint, not even a pending retry', async () => {
      const hook = await addHook(['mailbox.deleted']);
      receiver.status.code = 500;
      await deleteMailbox('gone1');
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);
      expect((await h.request('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
      await deleteMailbox('gone2');
      now = new Date(now.getTime() + 7 * 3600_000);
      expect(await deliverDueWebhooks(h.ctx)).toBe(0);
      expect(receiver.received).toHaveLength(1);
      expect((await h.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    });

    it("keeps a receiver's own token in its URL out of the audit log", async () => {
      const res = await h.request('POST', '/v1/webhooks', {
        body: { url: `${receiver.url}?token=receiver-secret-42`, events: ['mailbox.deleted'] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const rows = await h.ctx.store.db.selectFrom('events').selectAll().execute();
      const created = rows.find((r) => r.action === 'webhook.created' && r.target === res.body.id);
      expect(created?.details).toContain(receiver.url.replace(/\/$/, ''));
      expect(JSON.stringify(rows)).not.toContain('receiver-secret-42');
      expect((await h.request('DELETE', `/v1/webhooks/${res.body.id}`)).status).toBe(204);
    });

    it('keeps pending deliveries across a restart (they are in the database)', async () => {
      const hook = await addHook(['mailbox.deleted']);
      await deleteMailbox('restart');
      // A new process: its own connection, the same database and server key.
      const store = openStore(h.url);
      try {
        expect(await deliverDueWebhooks({ ...h.ctx, store })).toBe(1);
      } finally {
        await store.close();
      }
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0]!.body).type).toBe('mailbox.deleted');
      await h.request('DELETE', `/v1/webhooks/${hook.id}`);
    });

    it('signs with a secret the caller gives, which is never sent back', async () => {
      const secret = 'my-receivers-own-secret-0123456789!#';
      const res = await h.request('POST', '/v1/webhooks', {
        body: { url: receiver.url, events: ['mailbox.deleted'], secret },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.secret).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain(secret);
      expect(JSON.stringify((await h.request('GET', '/v1/webhooks')).body)).not.toContain(secret);
      const events = await h.request('GET', '/v1/events?limit=1');
      expect(JSON.stringify(events.body)).not.toContain(secret);

      await deleteMailbox('own-secret');
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);
      const [got] = receiver.received;
      expect(verifies(secret, got!.headers['mailwright-signature'] as string, got!.body)).toBe(
        true,
      );
      await h.request('DELETE', `/v1/webhooks/${res.body.id}`);
    });

    it('refuses a given secret that is too short, too long or not printable ASCII', async () => {
      for (const [secret, code] of [
        ['short', 'too_short'],
        ['x'.repeat(257), 'too_long'],
        ['a secret with spaces in it, long enough', 'invalid_character'],
        ['ünïcödé-secret-that-is-long-enough-to-pass', 'invalid_character'],
      ] as const) {
        const res = await h.request('POST', '/v1/webhooks', {
          body: { url: receiver.url, events: ['job.finished'], secret },
        });
        expect(res.status, secret).toBe(422);
        expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'secret', code }));
      }
      expect((await h.request('GET', '/v1/webhooks')).body.items).toEqual([]);
    });

    it('delivers dns.check_failed when a live check finds failing records, once per change', async () => {
      const hook = await addHook(['dns.check_failed']);
      const check = () => h.request('GET', '/v1/domains/example.com/dns?check=true');
      expect((await check()).status).toBe(200);
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);
      const payload = JSON.parse(receiver.received[0]!.body);
      expect(payload.type).toBe('dns.check_failed');
      expect(payload.data.target).toBe('example.com');
      expect(payload.data.failing).toContainEqual({
        type: 'MX',
        host: 'example.com',
        status: 'missing',
      });
      // The same failures again: nothing new to say.
      await check();
      expect(await deliverDueWebhooks(h.ctx)).toBe(0);
      const events = await h.request('GET', '/v1/events?limit=5');
      expect(
        events.body.items.filter((e: { action: string }) => e.action === 'dns.check_failed'),
      ).toHaveLength(1);
      await h.request('DELETE', `/v1/webhooks/${hook.id}`);
    });

    it(`prunes settled deliveries older than ${WEBHOOK_DELIVERY_RETENTION_DAYS} days as it delivers`, async () => {
      const hook = await addHook(['mailbox.deleted']);
      const log = async () =>
        (await h.request('GET', `/v1/webhooks/${hook.id}/deliveries`)).body.items as {
          event: string;
          createdAt: string;
          status: string;
        }[];
      await deleteMailbox('old-one');
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);
      receiver.status.code = 500;
      await deleteMailbox('old-two');
      expect(await deliverDueWebhooks(h.ctx)).toBe(1);
      const old = await log();
      expect(old.map((d) => d.status).sort()).toEqual(['delivered', 'pending']);

      const start = now;
      try {
        // A day short of the retention: both stay.
        now = new Date(start.getTime() + (WEBHOOK_DELIVERY_RETENTION_DAYS - 1) * 86_400_000);
        receiver.status.code = 204;
        await deleteMailbox('new-one');
        await deliverDueWebhooks(h.ctx);
        expect(await log()).toHaveLength(3);
        // Past it: both old ones go (the retried one was delivered meanwhile); pending ones never.
        now = new Date(start.getTime() + (WEBHOOK_DELIVERY_RETENTION_DAYS + 1) * 86_400_000);
        await deleteMailbox('new-two');
        await deliverDueWebhooks(h.ctx);
        const left = await log();
        expect(left.every((d) => d.createdAt > start.toISOString())).toBe(true);
        expect(left.length).toBeGreaterThanOrEqual(2);
      } finally {
        now = start;
      }
      await h.request('DELETE', `/v1/webhooks/${hook.id}`);
    });

    it('refuses bad input with 422 naming the field, and writes nothing', async () => {
      const cases: [unknown, string, string][] = [
        [{ url: 'http://hooks.example.com/x', events: ['job.finished'] }, 'url', 'https_required'],
        [
          { url: 'https://u:p@hooks.example.com/x', events: ['job.finished'] },
          'url',
          'credentials_in_url',
        ],
        [
          { url: `https://h.example.com/${'a'.repeat(2048)}`, events: ['job.finished'] },
          'url',
          'too_long',
        ],
        [{ url: 'not a url', events: ['job.finished'] }, 'url', 'invalid_url'],
        [{ url: 'https://hooks.example.com/', events: ['job.started'] }, 'events.0', ''],
        [{ url: 'https://hooks.example.com/', events: [] }, 'events', ''],
      ];
      for (const [body, field, code] of cases) {
        const res = await h.request('POST', '/v1/webhooks', { body });
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.errors.map((i: { field: string }) => i.field)).toContain(field);
        if (code) expect(res.body.errors.map((i: { code: string }) => i.code)).toContain(code);
      }
      expect((await h.request('GET', '/v1/webhooks')).body.items).toEqual([]);
    });

    it('refuses private and metadata targets when not allowed, at registration and delivery', async () => {
      h.ctx.webhookAllowPrivate = false;
      for (const url of [
        'https://10.0.0.1/hook',
        'https://169.254.169.254/latest',
        'https://[::ffff:169.254.169.254]/',
        'https://127.0.0.1/hook',
        'https://localhost/hook',
        receiver.url,
      ]) {
        const res = await h.request('POST', '/v1/webhooks', {
          body: { url, events: ['mailbox.deleted'] },
        });
        expect(res.status, url).toBe(422);
        expect(res.body.errors[0].field).toBe('url');
      }
      // Metadata stays refused even where private targets are allowed.
      h.ctx.webhookAllowPrivate = true;
      const metadata = await h.request('POST', '/v1/webhooks', {
        body: { url: 'https://169.254.169.254/', events: ['mailbox.deleted'] },
      });
      expect(metadata.body.errors?.[0]?.code).toBe('private_address');
      expect((await h.request('GET', '/v1/webhooks')).body.items).toEqual([]);

      // A name that resolves to a private address is refused when each delivery resolves it.
      h.ctx.webhookAllowPrivate = false;
      const resolved: string[] = [];
      h.ctx.webhookLookup = async (host) => {
        resolved.push(host);
        return ['10.0.0.1'];
      };
      try {
        const hook = await h.request('POST', '/v1/webhooks', {
          body: { url: 'https://hooks.example.com/in', events: ['mailbox.deleted'] },
        });
        expect(hook.status).toBe(201);
        await deleteMailbox('ssrf');
        expect(await deliverDueWebhooks(h.ctx)).toBe(1);
        expect(resolved).toEqual(['hooks.example.com']);
        const [attempt] = (await h.request('GET', `/v1/webhooks/${hook.body.id}/deliveries`)).body
          .items;
        expect(attempt).toMatchObject({ status: 'pending', responseStatus: null });
        expect(attempt.error).toMatch(/^refused: 10\.0\.0\.1 is a private/);
        await h.request('DELETE', `/v1/webhooks/${hook.body.id}`);
      } finally {
        delete h.ctx.webhookLookup;
      }
    });

    it('is one account’s: another account and a domain-limited token see none of it', async () => {
      const hook = await addHook(['mailbox.deleted']);
      expect((await h.request('GET', '/v1/webhooks', { token: h.bob.token })).body.items).toEqual(
        [],
      );
      expect(
        (await h.request('DELETE', `/v1/webhooks/${hook.id}`, { token: h.bob.token })).status,
      ).toBe(404);
      const limited = await h.request('POST', '/v1/tokens', {
        body: { label: 'one domain', scopes: ['webhooks:write'], domains: ['example.com'] },
      });
      const res = await h.request('GET', '/v1/webhooks', { token: limited.body.token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
      await h.request('DELETE', `/v1/webhooks/${hook.id}`);
    });
  });
}
