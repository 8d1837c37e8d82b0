import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`aliases and catch-alls on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.bob, 'bob.example');
      for (const localPart of ['josh', 'ann']) {
        const res = await h.request('POST', '/v1/mailboxes', {
          body: singleMailbox({ localPart, domain: 'example.com' }),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      const sub = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: 'sales' },
      });
      expect(sub.status, JSON.stringify(sub.body)).toBeLessThan(300);
    });
    afterAll(() => h.close());

    const create = (address: string, targets: unknown, token?: string) =>
      h.request('POST', '/v1/aliases', {
        body: { address, targets },
        ...(token ? { token } : {}),
      });
    const aliasRows = async () =>
      (await h.ctx.store.db.selectFrom('aliases').select('address').execute()).length;

    it('creates an alias with a local and an external target and reads it back', async () => {
      const res = await create('Sales@Example.com', ['josh@example.com', 'Ann@Partner.example']);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({
        address: 'sales@example.com',
        domain: 'example.com',
        catchAll: false,
        targets: ['josh@example.com', 'ann@partner.example'],
      });
      expect(res.body.createdAt).toEqual(expect.any(String));
      const got = await h.request('GET', '/v1/aliases/sales@example.com');
      expect(got.status).toBe(200);
      expect(got.body.targets).toEqual(['josh@example.com', 'ann@partner.example']);
    });

    it('creates a catch-all for a sub-domain', async () => {
      const res = await create('@sales.example.com', ['josh@example.com']);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ address: '@sales.example.com', catchAll: true });
    });

    it('lists in address order (catch-alls first), by domain and by prefix, in keyset pages', async () => {
      await create('support@example.com', ['ann@example.com']);
      const all = await h.request('GET', '/v1/aliases');
      expect(all.body.items.map((a: { address: string }) => a.address)).toEqual([
        '@sales.example.com',
        'sales@example.com',
        'support@example.com',
      ]);
      const page = await h.request('GET', '/v1/aliases?limit=1');
      expect(page.body.items).toHaveLength(1);
      const next = await h.request('GET', `/v1/aliases?limit=5&cursor=${page.body.nextCursor}`);
      expect(next.body.items.map((a: { address: string }) => a.address)).toEqual([
        'sales@example.com',
        'support@example.com',
      ]);
      const byDomain = await h.request('GET', '/v1/aliases?domain=sales.example.com');
      expect(byDomain.body.items.map((a: { address: string }) => a.address)).toEqual([
        '@sales.example.com',
      ]);
      const prefix = await h.request('GET', '/v1/aliases?q=su');
      expect(prefix.body.items.map((a: { address: string }) => a.address)).toEqual([
        'support@example.com',
      ]);
      // Bob sees none of Alice's.
      const bobs = await h.request('GET', '/v1/aliases', { token: h.bob.token });
      expect(bobs.body.items).toEqual([]);
    });

    it('replaces the targets with PATCH and deletes', async () => {
      const res = await h.request('PATCH', '/v1/aliases/support@example.com', {
        body: { targets: ['josh@example.com', 'ann@example.com'] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.targets).toEqual(['josh@example.com', 'ann@example.com']);
      expect((await h.request('DELETE', '/v1/aliases/support@example.com')).status).toBe(204);
      expect((await h.request('GET', '/v1/aliases/support@example.com')).status).toBe(404);
    });

    it('refuses an alias at a mailbox address, and a mailbox at an alias address (409)', async () => {
      const before = await aliasRows();
      const alias = await create('josh@example.com', ['ann@example.com']);
      expect(alias.status).toBe(409);
      expect(alias.body.code).toBe('address_is_mailbox');
      const mailbox = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({ localPart: 'sales', domain: 'example.com' }),
      });
      expect(mailbox.status).toBe(409);
      expect(mailbox.body.code).toBe('address_is_alias');
      const again = await create('sales@example.com', ['ann@example.com']);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('alias_exists');
      expect(await aliasRows()).toBe(before);
    });

    it.each([
      [
        'an alias to itself',
        'self@example.com',
        ['self@example.com'],
        'target_is_self',
        'targets.0',
      ],
      ['no targets', 'none@example.com', [], 'required', 'targets'],
      [
        'a malformed target',
        'bad@example.com',
        ['josh@example.com', 'not an address'],
        'invalid_email',
        'targets.1',
      ],
      [
        'a target twice',
        'twice@example.com',
        ['ann@example.com', 'ANN@example.com'],
        'duplicate_target',
        'targets.1',
      ],
      [
        'an unknown address on an own hostname',
        'lost@example.com',
        ['nobody@example.com'],
        'unknown_target',
        'targets.0',
      ],
      [
        'a malformed alias address',
        'a b@example.com',
        ['ann@example.com'],
        'invalid_character',
        'address',
      ],
    ])(
      'refuses %s with 422 naming the field, writing nothing',
      async (_what, address, targets, code, field) => {
        const before = await aliasRows();
        const res = await create(address, targets);
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
        expect(await aliasRows()).toBe(before);
      },
    );

    it('refuses unknown fields and a non-array at the schema, naming the field', async () => {
      const res = await h.request('POST', '/v1/aliases', {
        body: { address: 'x@example.com', targets: 'ann@example.com' },
      });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).toMatch(/targets/);
      const extra = await h.request('POST', '/v1/aliases', {
        body: { address: 'x@example.com', targets: ['ann@example.com'], keep: true },
      });
      expect(extra.status).toBe(422);
      expect(extra.body.detail ?? JSON.stringify(extra.body)).toMatch(/"keep"/);
    });

    it('refuses a loop across aliases at write time (422 routing_cycle)', async () => {
      expect((await create('a@example.com', ['ann@example.com'])).status).toBe(201);
      expect((await create('b@example.com', ['a@example.com'])).status).toBe(201);
      const res = await h.request('PATCH', '/v1/aliases/a@example.com', {
        body: { targets: ['b@example.com'] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('routing_cycle');
      expect(res.body.detail).toContain('a@example.com → b@example.com → a@example.com');
      expect((await h.request('GET', '/v1/aliases/a@example.com')).body.targets).toEqual([
        'ann@example.com',
      ]);
    });

    it('refuses a catch-all whose target only the catch-all itself would take', async () => {
      const res = await create('@example.com', ['ghost@example.com']);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.code).toBe('routing_cycle');
    });

    it("answers 404 for another account's hostname, as alias or as target", async () => {
      const alias = await create('x@bob.example', ['ann@example.com']);
      expect(alias.status).toBe(404);
      const target = await create('x@example.com', ['someone@bob.example']);
      expect(target.status).toBe(404);
      expect(target.body.code).toBe('target_not_found');
      const read = await h.request('GET', '/v1/aliases/sales@example.com', { token: h.bob.token });
      expect(read.status).toBe(404);
    });

    it('holds the targets to maxAliasTargets, shown in GET /v1/limits', async () => {
      await setAccountLimits(h.ctx, {
        account: 'alice',
        changes: { maxAliasTargets: 2 },
        actor: 'test',
      });
      const limits = await h.request('GET', '/v1/limits');
      expect(limits.body.limits.maxAliasTargets).toBe(2);
      const res = await create('many@example.com', ['a@x.example', 'b@x.example', 'c@x.example']);
      expect(res.status).toBe(422);
      expect(res.body.errors).toContainEqual(
        expect.objectContaining({ field: 'targets', code: 'limit_exceeded' }),
      );
      await setAccountLimits(h.ctx, {
        account: 'alice',
        changes: { maxAliasTargets: null },
        actor: 'test',
      });
    });

    it('refuses to delete a domain while aliases are left, naming them', async () => {
      await h.verifiedDomain(h.alice, 'gone.example');
      expect((await create('hello@gone.example', ['ann@example.com'])).status).toBe(201);
      const res = await h.request('DELETE', '/v1/domains/gone.example');
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('hello@gone.example');
      expect((await h.request('DELETE', '/v1/aliases/hello@gone.example')).status).toBe(204);
      expect((await h.request('DELETE', '/v1/domains/gone.example')).status).toBe(204);
    });
  });
}
