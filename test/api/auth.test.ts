import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

describe('authentication and tenancy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(() => h.close());

  it('answers 401 problem+json without a token and with a bad one', async () => {
    for (const token of [null, 'mw_not-a-real-token']) {
      const res = await h.request('GET', '/v1/domains', { token });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it("answers 404, never 403, for another account's domain", async () => {
    await h.request('POST', '/v1/domains', { body: { name: 'alice-only.com' } });
    for (const [method, path] of [
      ['GET', '/v1/domains/alice-only.com'],
      ['DELETE', '/v1/domains/alice-only.com'],
      ['POST', '/v1/domains/alice-only.com/verify'],
    ] as const) {
      const res = await h.request(method, path, { token: h.bob.token });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('mailwright-verification=');
    }
    expect((await h.request('GET', '/v1/domains', { token: h.bob.token })).body.items).toEqual([]);
  });

  it('keeps audit logs per account and never logs secrets', async () => {
    const bobEvents = await h.request('GET', '/v1/events', { token: h.bob.token });
    expect(bobEvents.body.items.every((e: { target: string }) => e.target !== 'alice-only.com')).toBe(true);
    const rows = await h.ctx.store.db.selectFrom('events').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(h.alice.token);
  });

  it('stores only a hash of each token', async () => {
    const rows = await h.ctx.store.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(h.alice.token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await h.request('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });
});
