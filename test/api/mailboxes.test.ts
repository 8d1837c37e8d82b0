import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { singleMailbox, storedHash as storedHashOf } from '../support/mailbox-fixtures.js';

for (const dialect of DIALECTS) {
  describe(`mailboxes API on ${dialect}`, () => {
    let h: Harness;
    const storedHash = (address: string) => storedHashOf(h.ctx.store, address);

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await h.request('POST', '/v1/domains/example.com/subdomains', { body: { labels: 'sales' } });
      await h.request('POST', '/v1/domains', { body: { name: 'pending.com' } });
    });
    afterAll(() => h.close());

    it('creates a mailbox with a generated password shown once and stored as a Dovecot argon2id hash', async () => {
      const res = await h.request('POST', '/v1/mailboxes', { body: singleMailbox() });
      expect(res.status).toBe(201);
      expect(res.body.mailbox).toMatchObject({
        address: 'josh@example.com',
        localPart: 'josh',
        domain: 'example.com',
        name: 'Josh Smith',
        quotaMb: 1024,
        active: true,
      });
      const password: string = res.body.password;
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{20,}$/);
      const hash = await storedHash('josh@example.com');
      expect(hash).toMatch(
        /^\{ARGON2ID\}\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
      );
      expect(await verifyPassword(password, hash)).toBe(true);
      const again = await h.request('GET', '/v1/mailboxes/josh@example.com');
      expect(again.body).not.toHaveProperty('password');
      expect(JSON.stringify(again.body)).not.toContain(password);
      // No mail plane behind this server: usage is unknown, not zero.
      expect(again.body.usedMb).toBeNull();
    });

    it('creates a mailbox with a manual password and does not echo it', async () => {
      const value = 'correct horse battery staple 93';
      const res = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({
          localPart: 'Mary.Jane',
          name: 'Mary Jane',
          domain: 'sales.example.com',
          password: { generate: false, value },
          quotaMb: 2048,
        }),
      });
      expect(res.status).toBe(201);
      expect(res.body.password).toBeUndefined();
      expect(res.body.mailbox).toMatchObject({
        address: 'mary.jane@sales.example.com',
        quotaMb: 2048,
      });
      expect(await verifyPassword(value, await storedHash('mary.jane@sales.example.com'))).toBe(
        true,
      );
    });

    it('requires a password value when generation is off', async () => {
      const res = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({ localPart: 'nopass', password: { generate: false } }),
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'password.value', code: 'password_required' }),
      ]);
    });

    it.each([
      [{ password: { generate: false, value: 'password1234' } }, 'password.value', 'password_weak'],
      [{ password: { generate: false, value: 'short' } }, 'password.value', 'password_too_short'],
      [
        { password: { generate: false, value: 'Xq7!josh-Vb93-long' } },
        'password.value',
        'password_contains_identity',
      ],
      [{ name: 'Admin' }, 'name', 'not_full_name'],
      [{ name: 'Admin User' }, 'name', 'not_a_person_name'],
      [{ name: 'Josh Sm1th' }, 'name', 'invalid_character'],
      [{ localPart: '.josh' }, 'localPart', 'dot_edge'],
      [{ localPart: 'jo..sh' }, 'localPart', 'double_dot'],
      [{ localPart: 'jo sh' }, 'localPart', 'invalid_character'],
      [{ localPart: 'a'.repeat(65) }, 'localPart', 'too_long'],
      [{ quotaMb: 5 }, 'quotaMb', 'quota_out_of_range'],
      [{ quotaMb: 102401 }, 'quotaMb', 'quota_out_of_range'],
    ])('rejects %j with %s %s and writes nothing', async (override, field, code) => {
      const body = singleMailbox({ localPart: 'rejected', ...override });
      const res = await h.request('POST', '/v1/mailboxes', { body });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, code })]),
      );
      const list = await h.request('GET', '/v1/mailboxes?q=rejected');
      expect(list.body.items).toEqual([]);
    });

    it('reports every invalid field at once', async () => {
      const res = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({
          name: 'Test',
          localPart: 'a..b',
          quotaMb: 1,
          password: { generate: false },
        }),
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'localPart',
        'name',
        'password.value',
        'quotaMb',
      ]);
    });

    it('refuses an existing address with 409 mailbox_exists', async () => {
      const res = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({ localPart: 'JOSH' }),
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('mailbox_exists');
    });

    it('refuses a pending domain with 409 domain_not_verified and a hint', async () => {
      const res = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({ domain: 'pending.com' }),
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('domain_not_verified');
      expect(res.body.detail).toMatch(/TXT/);
    });

    it("refuses another account's domain as not found", async () => {
      const res = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({ localPart: 'intruder' }),
        token: h.bob.token,
      });
      expect(res.status).toBe(404);
    });

    it('refuses an unknown mode with 422', async () => {
      const res = await h.request('POST', '/v1/mailboxes', {
        body: singleMailbox({ mode: 'many' }),
      });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('mode');
    });

    it('lists with keyset pagination, a domain filter and an address prefix search', async () => {
      for (const local of ['anna', 'anne', 'annika', 'bob']) {
        expect(
          (
            await h.request('POST', '/v1/mailboxes', {
              body: singleMailbox({ localPart: local, name: 'Anna Berg' }),
            })
          ).status,
        ).toBe(201);
      }
      const prefix = await h.request('GET', '/v1/mailboxes?q=ANN');
      expect(prefix.body.items.map((m: { address: string }) => m.address)).toEqual([
        'anna@example.com',
        'anne@example.com',
        'annika@example.com',
      ]);
      const first = await h.request('GET', '/v1/mailboxes?q=ann&limit=2');
      expect(first.body.items).toHaveLength(2);
      const second = await h.request(
        'GET',
        `/v1/mailboxes?q=ann&limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items.map((m: { address: string }) => m.address)).toEqual([
        'annika@example.com',
      ]);
      expect(second.body.nextCursor).toBeNull();
      const sales = await h.request('GET', '/v1/mailboxes?domain=sales.example.com');
      expect(sales.body.items.map((m: { address: string }) => m.address)).toEqual([
        'mary.jane@sales.example.com',
      ]);
      const bobSees = await h.request('GET', '/v1/mailboxes', { token: h.bob.token });
      expect(bobSees.body.items).toEqual([]);
    });

    it('updates name, quota and active, and resets a password returned once', async () => {
      const before = await storedHash('bob@example.com');
      const res = await h.request('PATCH', '/v1/mailboxes/bob@example.com', {
        body: { name: 'Robert Brown', quotaMb: 512, active: false, password: { generate: true } },
      });
      expect(res.status).toBe(200);
      expect(res.body.mailbox).toMatchObject({ name: 'Robert Brown', quotaMb: 512, active: false });
      expect(await verifyPassword(res.body.password, await storedHash('bob@example.com'))).toBe(
        true,
      );
      expect(await storedHash('bob@example.com')).not.toBe(before);
      const events = await h.request('GET', '/v1/events?limit=1');
      expect(events.body.items[0]).toMatchObject({
        action: 'mailbox.updated',
        target: 'bob@example.com',
      });
      expect(JSON.stringify(events.body)).not.toContain(res.body.password);
    });

    it('rejects an invalid update and changes nothing', async () => {
      const res = await h.request('PATCH', '/v1/mailboxes/bob@example.com', {
        body: { name: 'Admin', quotaMb: 2048 },
      });
      expect(res.status).toBe(422);
      expect((await h.request('GET', '/v1/mailboxes/bob@example.com')).body.quotaMb).toBe(512);
    });

    it("hides another account's mailbox behind 404 for read, update and delete", async () => {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        const res = await h.request(method, '/v1/mailboxes/josh@example.com', {
          token: h.bob.token,
          ...(method === 'PATCH' ? { body: { active: false } } : {}),
        });
        expect(res.status).toBe(404);
      }
      expect((await h.request('GET', '/v1/mailboxes/josh@example.com')).body.active).toBe(true);
    });

    it('deletes a mailbox, then the domain can be deleted once empty', async () => {
      expect((await h.request('DELETE', '/v1/mailboxes/bob@example.com')).status).toBe(204);
      expect((await h.request('GET', '/v1/mailboxes/bob@example.com')).status).toBe(404);
      const inUse = await h.request('DELETE', '/v1/domains/example.com');
      expect(inUse.status).toBe(409);
      expect(inUse.body.code).toBe('domain_in_use');
    });
  });
}
