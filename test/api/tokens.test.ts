import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOperator,
  OPERATOR_PASSWORD,
  signIn,
  type ConsoleClient,
} from '../support/console-session.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

for (const dialect of DIALECTS) {
  describe(`API tokens page on ${dialect}`, () => {
    let h: Harness;
    let jane: ConsoleClient;
    let now = new Date('2026-11-25T09:00:00.000Z');

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => now });
      await createOperator(h, h.alice.actor, 'jane@example.com');
      jane = await signIn(h, 'jane@example.com', OPERATOR_PASSWORD);
    });
    afterAll(() => h.close());

    it('creates a token shown once, lists it without its secret, and revokes it', async () => {
      const created = await jane.request('POST', '/v1/tokens', {
        body: { label: ' billing sync ', scopes: ['admin'] },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        label: 'billing sync',
        token: expect.stringMatching(/^mw_[A-Za-z0-9_-]{43}$/),
        scopes: ['admin'],
        domains: null,
        createdAt: now.toISOString(),
      });
      const { id, token } = created.body;

      const listed = await jane.request('GET', '/v1/tokens');
      expect(listed.status).toBe(200);
      expect(listed.body.items).toContainEqual({
        id,
        label: 'billing sync',
        createdAt: now.toISOString(),
        lastUsedAt: null,
        scopes: ['admin'],
        domains: null,
      });
      const rows = await h.ctx.store.db.selectFrom('api_tokens').select('token_hash').execute();
      for (const secret of [token, ...rows.map((r) => r.token_hash)])
        expect(JSON.stringify(listed.body)).not.toContain(secret);

      now = new Date(now.getTime() + 5 * 60 * 1000);
      expect((await h.request('GET', '/v1/domains', { token })).status).toBe(200);
      const used = await jane.request('GET', '/v1/tokens');
      expect(used.body.items.find((t: { id: string }) => t.id === id).lastUsedAt).toBe(
        now.toISOString(),
      );

      const revoked = await jane.request('DELETE', `/v1/tokens/${id}`);
      expect(revoked.status).toBe(204);
      expect((await h.request('GET', '/v1/domains', { token })).status).toBe(401);
      expect((await jane.request('DELETE', `/v1/tokens/${id}`)).status).toBe(404);
      const after = await jane.request('GET', '/v1/tokens');
      expect(after.body.items.map((t: { id: string }) => t.id)).not.toContain(id);
      const events = await h.request('GET', '/v1/events?limit=2');
      expect(events.body.items[0]).toMatchObject({
        action: 'token.revoked',
        actor: 'user:jane@example.com',
        target: id,
      });
    });

    it("answers 404 for another account's token and leaves it working", async () => {
      const bobTokenId = h.bob.actor.name.slice('token:'.length);
      const res = await jane.request('DELETE', `/v1/tokens/${bobTokenId}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('token_not_found');
      expect((await h.request('GET', '/v1/domains', { token: h.bob.token })).status).toBe(200);
      const listed = await jane.request('GET', '/v1/tokens');
      expect(listed.body.items.map((t: { id: string }) => t.id)).not.toContain(bobTokenId);
    });

    it('needs a label and the CSRF token to create one', async () => {
      const unlabelled = await jane.request('POST', '/v1/tokens', {
        body: { label: '  ', scopes: ['admin'] },
      });
      expect(unlabelled.status).toBe(422);
      expect(unlabelled.body.errors[0]).toMatchObject({ field: 'label', code: 'required' });
      const missing = await jane.request('POST', '/v1/tokens', { body: { scopes: ['admin'] } });
      expect(missing.status).toBe(422);
      expect(missing.body.errors[0]).toMatchObject({ field: 'label' });

      const before = await h.ctx.store.db.selectFrom('api_tokens').select('id').execute();
      const forged = await jane.request('POST', '/v1/tokens', {
        body: { label: 'forged', scopes: ['admin'] },
        csrf: false,
      });
      expect(forged.status).toBe(403);
      expect(forged.body.code).toBe('csrf_failed');
      const after = await h.ctx.store.db.selectFrom('api_tokens').select('id').execute();
      expect(after).toHaveLength(before.length);
    });

    it.each([
      ['a bidi override', 'x\u202egnp.exe', 'U+202E'],
      ['a zero-width space', 'ci\u200bdeploy', 'U+200B'],
      ['a line separator', 'ci\u2028deploy', 'U+2028'],
      ['a control character', 'ci\u0007', 'U+0007'],
    ])('refuses a label with %s, naming it, and writes nothing', async (_what, label, named) => {
      const before = await h.ctx.store.db.selectFrom('api_tokens').select('id').execute();
      const res = await h.request('POST', '/v1/tokens', { body: { label, scopes: ['admin'] } });
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toMatchObject({ field: 'label', code: 'invalid_character' });
      expect(res.body.errors[0].message).toContain(named);
      const after = await h.ctx.store.db.selectFrom('api_tokens').select('id').execute();
      expect(after).toHaveLength(before.length);
    });

    it('lets a bearer token manage tokens too, as scripts do', async () => {
      const created = await h.request('POST', '/v1/tokens', {
        body: { label: 'ci', scopes: ['admin'] },
      });
      expect(created.status).toBe(201);
      expect((await h.request('DELETE', `/v1/tokens/${created.body.id}`)).status).toBe(204);
    });
  });
}
