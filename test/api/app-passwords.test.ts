import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_APP_PASSWORDS_PER_MAILBOX } from '../../src/core/app-password.js';
import { HASH_PARAMS, verifyPassword } from '../../src/core/password-hash.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`mailbox app passwords on ${dialect}`, () => {
    let h: Harness;
    const now = new Date('2026-11-25T09:00:00.000Z');
    const flushed: string[][] = [];

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => now });
      h.ctx.mailPlane = { flushAuth: async (addresses) => void flushed.push([...addresses]) };
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.alice, 'other.example');
      await h.verifiedDomain(h.bob, 'bob.example');
      for (const [localPart, domain, token] of [
        ['josh', 'example.com', h.alice.token],
        ['ann', 'other.example', h.alice.token],
        ['bob', 'bob.example', h.bob.token],
      ] as const) {
        const res = await h.request('POST', '/v1/mailboxes', {
          body: singleMailbox({ localPart, domain }),
          token,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    });
    afterAll(() => h.close());

    const path = (address: string) => `/v1/mailboxes/${address}/app-passwords`;

    it('generates one shown once, stores only its argon2id hash, lists and revokes it', async () => {
      const created = await h.request('POST', path('Josh@Example.com'), {
        body: { label: ' phone ' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        label: 'phone',
        createdAt: now.toISOString(),
        lastUsedAt: null,
        password: expect.stringMatching(/^[a-km-z2-9]{8}[A-Za-z2-9]{24}$/),
      });
      const { id, password } = created.body;
      const row = await h.ctx.store.db
        .selectFrom('mailbox_app_passwords')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.public_id).toBe(password.slice(0, 8));
      expect(
        row.password_hash.startsWith(`${HASH_PARAMS.scheme}$argon2id$v=19$m=19456,t=2,p=1$`),
      ).toBe(true);
      expect(await verifyPassword(password, row.password_hash)).toBe(true);

      const listed = await h.request('GET', path('josh@example.com'));
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([
        { id, label: 'phone', createdAt: now.toISOString(), lastUsedAt: null },
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(password);

      flushed.length = 0;
      expect((await h.request('DELETE', `${path('josh@example.com')}/${id}`)).status).toBe(204);
      // The cached login is flushed as part of the revocation (and again after the commit).
      expect(flushed).toEqual([['josh@example.com'], ['josh@example.com']]);
      expect((await h.request('GET', path('josh@example.com'))).body.items).toEqual([]);
      const again = await h.request('DELETE', `${path('josh@example.com')}/${id}`);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('app_password_not_found');

      const events = (await h.request('GET', '/v1/events?limit=2')).body.items;
      expect(events.map((e: { action: string }) => e.action)).toEqual([
        'mailbox.app_password_revoked',
        'mailbox.app_password_created',
      ]);
      expect(events[1]).toMatchObject({
        target: 'josh@example.com',
        details: { id, label: 'phone' },
      });
      expect(JSON.stringify(events)).not.toContain(password);
      expect(JSON.stringify(events)).not.toContain(row.password_hash);
    });

    it('keeps revocation to the one app password named', async () => {
      const a = await h.request('POST', path('josh@example.com'), { body: { label: 'a' } });
      const b = await h.request('POST', path('josh@example.com'), { body: { label: 'b' } });
      expect((await h.request('DELETE', `${path('josh@example.com')}/${a.body.id}`)).status).toBe(
        204,
      );
      const left = (await h.request('GET', path('josh@example.com'))).body.items;
      expect(left.map((p: { id: string }) => p.id)).toEqual([b.body.id]);
      // Another mailbox's path does not reach it.
      expect((await h.request('DELETE', `${path('ann@other.example')}/${b.body.id}`)).status).toBe(
        404,
      );
      await h.request('DELETE', `${path('josh@example.com')}/${b.body.id}`);
    });

    it('refuses a bad label naming the field, and writes nothing', async () => {
      for (const label of ['   ', 'x'.repeat(101), 'phone\u200b']) {
        const res = await h.request('POST', path('josh@example.com'), { body: { label } });
        expect(res.status, label).toBe(422);
        expect(res.body.errors[0]).toMatchObject({ field: 'label' });
      }
      const extra = await h.request('POST', path('josh@example.com'), {
        body: { label: 'x', password: 'mine' },
      });
      expect(extra.status).toBe(422);
      expect(
        await h.ctx.store.db.selectFrom('mailbox_app_passwords').selectAll().execute(),
      ).toEqual([]);
    });

    it(`allows ${MAX_APP_PASSWORDS_PER_MAILBOX} per mailbox and says so at the next`, async () => {
      for (let i = 0; i < MAX_APP_PASSWORDS_PER_MAILBOX; i++) {
        const res = await h.request('POST', path('ann@other.example'), {
          body: { label: `d${i}` },
        });
        expect(res.status).toBe(201);
      }
      const over = await h.request('POST', path('ann@other.example'), { body: { label: 'more' } });
      expect(over.status).toBe(422);
      expect(over.body.code).toBe('limit_exceeded');
      expect(over.body.detail).toMatch(/Revoke one/);
    });

    it("answers 404 for another account's mailbox and for a domain outside a token's limit", async () => {
      for (const [method, url] of [
        ['GET', path('bob@bob.example')],
        ['POST', path('bob@bob.example')],
        ['DELETE', `${path('bob@bob.example')}/x`],
      ] as const) {
        const res = await h.request(method, url, method === 'POST' ? { body: { label: 'x' } } : {});
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('mailbox_not_found');
      }
      const limited = await createApiToken(h.ctx, {
        account: 'alice',
        actor: 'test',
        label: 'josh only',
        scopes: ['mailboxes:read', 'mailboxes:write'],
        domains: ['example.com'],
      });
      const token = limited.token;
      expect((await h.request('GET', path('ann@other.example'), { token })).status).toBe(404);
      expect(
        (await h.request('POST', path('ann@other.example'), { token, body: { label: 'x' } }))
          .status,
      ).toBe(404);
      const own = await h.request('POST', path('josh@example.com'), {
        token,
        body: { label: 'scoped' },
      });
      expect(own.status).toBe(201);
      const reader = await createApiToken(h.ctx, {
        account: 'alice',
        actor: 'test',
        label: 'reader',
        scopes: ['mailboxes:read'],
      });
      expect(
        (await h.request('GET', path('josh@example.com'), { token: reader.token })).status,
      ).toBe(200);
      const denied = await h.request('POST', path('josh@example.com'), {
        token: reader.token,
        body: { label: 'x' },
      });
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('insufficient_scope');
    });

    it("removes a mailbox's app passwords with it", async () => {
      await h.request('POST', path('josh@example.com'), { body: { label: 'gone' } });
      expect((await h.request('DELETE', '/v1/mailboxes/josh@example.com')).status).toBe(204);
      const rows = await h.ctx.store.db
        .selectFrom('mailbox_app_passwords')
        .innerJoin('mailboxes', 'mailboxes.id', 'mailbox_app_passwords.mailbox_id')
        .select('mailboxes.address')
        .execute();
      expect(rows.map((r) => r.address)).not.toContain('josh@example.com');
      expect(
        await h.ctx.store.db
          .selectFrom('mailbox_app_passwords')
          .select('id')
          .where('label', '=', 'gone')
          .execute(),
      ).toEqual([]);
    });
  });
}
