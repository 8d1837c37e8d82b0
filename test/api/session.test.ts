import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/core/secret-token.js';
import { buildApp } from '../../src/http/app.js';
import { createOperator, OPERATOR_PASSWORD, signIn } from '../support/console-session.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { certificate, serveHttps } from '../support/tls.js';

for (const dialect of DIALECTS) {
  describe(`web console sessions on ${dialect}`, () => {
    let h: Harness;
    let now = new Date('2026-11-25T09:00:00.000Z');
    const advance = (ms: number) => (now = new Date(now.getTime() + ms));

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => now });
      await createOperator(h, h.alice.actor, 'Jane@Example.com');
      await createOperator(h, h.bob.actor, 'bob@example.net');
    });
    afterAll(() => h.close());

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      h.app.inject({ method: 'POST', url: '/v1/session', payload: body as object, headers });

    it('signs in with a cookie that scripts cannot read and other sites do not send', async () => {
      const res = await post({ email: ' JANE@example.com ', password: OPERATOR_PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toEqual({
        user: { id: expect.any(String), email: 'jane@example.com' },
        account: { id: h.alice.actor.accountId, name: 'alice' },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        totp: { enabled: false, required: false },
      });
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^mw_session=[A-Za-z0-9_-]{43}; /);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Strict');
      expect(setCookie).toContain('Path=/');
      expect(setCookie).not.toContain('Secure');
      const secret = /^mw_session=([^;]+)/.exec(setCookie)![1]!;
      const rows = await h.ctx.store.db.selectFrom('sessions').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(secret);
    });

    it('authenticates API reads with the cookie and answers GET /v1/session', async () => {
      const jane = await signIn(h, 'jane@example.com', OPERATOR_PASSWORD);
      await h.request('POST', '/v1/domains', { body: { name: 'alice-console.com' } });
      const domains = await jane.request('GET', '/v1/domains', { csrf: false });
      expect(domains.status).toBe(200);
      expect(domains.body.items.map((d: { name: string }) => d.name)).toContain(
        'alice-console.com',
      );
      const me = await jane.request('GET', '/v1/session', { csrf: false });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({
        user: { email: 'jane@example.com' },
        account: { name: 'alice' },
        csrfToken: jane.csrfToken,
      });
    });

    it('refuses a state-changing request without the CSRF token and writes nothing', async () => {
      const jane = await signIn(h, 'jane@example.com', OPERATOR_PASSWORD);
      for (const headers of [{}, { 'x-csrf-token': 'forged' }]) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/v1/domains',
          headers: { cookie: jane.cookie, ...headers },
          payload: { name: 'csrf-victim.com' },
        });
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({
          code: 'csrf_failed',
          detail: expect.stringMatching(/reload the page/),
        });
      }
      const found = await h.ctx.store.db
        .selectFrom('domains')
        .select('name')
        .where('name', '=', 'csrf-victim.com')
        .execute();
      expect(found).toEqual([]);

      const created = await jane.request('POST', '/v1/domains', { body: { name: 'csrf-ok.com' } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const events = await h.request('GET', '/v1/events');
      expect(events.body.items[0]).toMatchObject({
        actor: 'user:jane@example.com',
        target: 'csrf-ok.com',
      });
    });

    it('needs no CSRF token for bearer-token requests', async () => {
      const res = await h.request('POST', '/v1/domains', { body: { name: 'bearer-only.com' } });
      expect(res.status).toBe(201);
    });

    it('refuses a sign-in posted from another site', async () => {
      for (const origin of ['https://evil.example', 'http://localhost:8080', 'null']) {
        const res = await post(
          { email: 'jane@example.com', password: OPERATOR_PASSWORD },
          { origin },
        );
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('csrf_failed');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const same = await post(
        { email: 'jane@example.com', password: OPERATOR_PASSWORD },
        { origin: 'http://localhost' },
      );
      expect(same.statusCode, same.body).toBe(200);
    });

    it('signs out: the session row is gone and the cookie no longer works', async () => {
      const jane = await signIn(h, 'jane@example.com', OPERATOR_PASSWORD);
      const withoutCsrf = await jane.request('DELETE', '/v1/session', { csrf: false });
      expect(withoutCsrf.status).toBe(403);
      const out = await jane.request('DELETE', '/v1/session');
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/^mw_session=; /);
      const id = hashToken(jane.cookie.slice('mw_session='.length));
      const row = await h.ctx.store.db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', id)
        .execute();
      expect(row).toEqual([]);
      for (const path of ['/v1/session', '/v1/domains']) {
        const res = await jane.request('GET', path, { csrf: false });
        expect(res.status).toBe(401);
      }
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const wrong = await post({ email: 'jane@example.com', password: 'not the password at all' });
      const unknown = await post({ email: 'nobody@example.com', password: OPERATOR_PASSWORD });
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(wrong.json()).toEqual(unknown.json());
      expect(wrong.json()).toMatchObject({
        code: 'invalid_credentials',
        detail: 'Email or password is wrong.',
      });
    });

    it('names the field of a malformed sign-in', async () => {
      const res = await post({ email: 'jane@example.com' });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0]).toMatchObject({ field: 'password', code: 'required' });
    });

    it('ends a session 12 hours after sign-in and after 2 idle hours', async () => {
      const idle = await signIn(h, 'bob@example.net', OPERATOR_PASSWORD);
      advance(119 * 60 * 1000);
      expect((await idle.request('GET', '/v1/session')).status).toBe(200);
      advance(119 * 60 * 1000);
      expect((await idle.request('GET', '/v1/session')).status).toBe(200);
      advance(121 * 60 * 1000);
      expect((await idle.request('GET', '/v1/session')).status).toBe(401);

      const busy = await signIn(h, 'bob@example.net', OPERATOR_PASSWORD);
      for (let hour = 1; hour < 12; hour++) {
        advance(60 * 60 * 1000);
        expect((await busy.request('GET', '/v1/domains')).status).toBe(200);
      }
      advance(60 * 60 * 1000);
      const ended = await busy.request('GET', '/v1/domains');
      expect(ended.status).toBe(401);
      expect(ended.body.detail).toMatch(/sign in again/);
    });

    it('limits failed sign-ins per email and lifts the limit after the window', async () => {
      const wrong = { email: 'bob@example.net', password: 'wrong password number one' };
      for (let i = 0; i < 5; i++) {
        expect((await post(wrong)).statusCode).toBe(401);
        advance(1000);
      }
      const limited = await post({ email: 'bob@example.net', password: OPERATOR_PASSWORD });
      expect(limited.statusCode).toBe(429);
      const problem = limited.json();
      expect(problem).toMatchObject({
        code: 'login_rate_limited',
        retryAt: expect.any(String),
        retryAfterSeconds: expect.any(Number),
      });
      expect(limited.headers['retry-after']).toBe(String(problem.retryAfterSeconds));
      // The first failure leaves the 15-minute window at retryAt.
      expect(Date.parse(problem.retryAt) - now.getTime()).toBe(problem.retryAfterSeconds * 1000);
      expect(problem.retryAfterSeconds).toBe(15 * 60 - 5);
      // Other emails are not affected by bob's failures.
      expect(
        (await post({ email: 'jane@example.com', password: OPERATOR_PASSWORD })).statusCode,
      ).toBe(200);

      now = new Date(problem.retryAt);
      const again = await post({ email: 'bob@example.net', password: OPERATOR_PASSWORD });
      expect(again.statusCode, again.body).toBe(200);
      // A success clears the email's failures: five more mistakes are allowed.
      for (let i = 0; i < 5; i++) expect((await post(wrong)).statusCode).toBe(401);
    });

    it('counts failures in the database: a restarted server still refuses', async () => {
      advance(60 * 60 * 1000);
      const wrong = { email: 'jane@example.com', password: 'wrong password number two' };
      for (let i = 0; i < 5; i++) expect((await post(wrong)).statusCode).toBe(401);
      const restarted = await buildApp(h.ctx);
      const res = await restarted.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: 'jane@example.com', password: OPERATOR_PASSWORD },
      });
      await restarted.close();
      expect(res.statusCode).toBe(429);
    });

    it('lets no burst of concurrent guesses past the limit', async () => {
      advance(60 * 60 * 1000);
      const burst = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          post({ email: 'bob@example.net', password: `parallel guess ${i}` }),
        ),
      );
      const statuses = burst.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    });

    it('limits failed sign-ins per client address across emails', async () => {
      advance(60 * 60 * 1000);
      for (let i = 0; i < 20; i++) {
        expect((await post({ email: `guess${i}@example.org`, password: 'x' })).statusCode).toBe(
          401,
        );
      }
      const limited = await post({ email: 'jane@example.com', password: OPERATOR_PASSWORD });
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('login_rate_limited');
      advance(15 * 60 * 1000);
      expect(
        (await post({ email: 'jane@example.com', password: OPERATOR_PASSWORD })).statusCode,
      ).toBe(200);
    });
  });
}

describe('web console sessions over HTTPS', () => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof serveHttps>>;
  const tls = certificate('console.example.com');

  beforeAll(async () => {
    h = await startHarness('sqlite');
    await createOperator(h, h.alice.actor, 'jane@example.com');
    server = await serveHttps(h.ctx, tls);
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('marks the cookie Secure, so the browser never sends it over plain HTTP', async () => {
    const body = JSON.stringify({ email: 'jane@example.com', password: OPERATOR_PASSWORD });
    const res = await server.request('console.example.com', '/v1/session', {
      method: 'POST',
      headers: {
        origin: `https://console.example.com:${server.port}`,
        'content-type': 'application/json',
      },
      body,
    });
    const setCookie = res.headers['set-cookie'] ?? [];
    expect(res.status).toBe(200);
    expect(setCookie[0]).toMatch(/^mw_session=[^;]+;/);
    expect(setCookie[0]).toMatch(/; Secure(;|$)/);
    expect(setCookie[0]).toContain('HttpOnly');
    expect(setCookie[0]).toContain('SameSite=Strict');
  });
});
