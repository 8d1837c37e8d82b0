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
    expect(
      bobEvents.body.items.every((e: { target: string }) => e.target !== 'alice-only.com'),
    ).toBe(true);
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

describe('audit log paging', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('postgres');
  });
  afterAll(() => h.close());

  it('pages newest first and rejects a cursor that is not one of its own', async () => {
    for (const name of ['one.com', 'two.com', 'three.com'])
      await h.request('POST', '/v1/domains', { body: { name } });
    const first = await h.request('GET', '/v1/events?limit=2');
    expect(first.body.items.map((e: { target: string }) => e.target)).toEqual([
      'three.com',
      'two.com',
    ]);
    const second = await h.request('GET', `/v1/events?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].target).toBe('one.com');
    const forged = Buffer.from('abc').toString('base64url');
    const res = await h.request('GET', `/v1/events?cursor=${forged}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' });
  });
});
