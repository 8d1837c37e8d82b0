import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postfixQueries } from '../../src/mailstack/queries.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

for (const dialect of DIALECTS) {
  describe(`a domain's own relay on ${dialect}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
      // The operator's offer (MAILWRIGHT_DOMAIN_RELAYS, and the global relay).
      h.ctx.domainRelays = [
        '[smtp.relay.test]:587',
        '[root-relay.test]:2525',
        '[127.0.0.1]:10025',
        '[kept.relay.test]:587',
      ];
      await h.verifiedDomain(h.alice, 'example.com');
      await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: 'sales\nnews' },
      });
      await h.verifiedDomain(h.bob, 'other.org');
    });
    afterAll(() => h.close());

    const patch = (name: string, body: object, token?: string) =>
      h.request('PATCH', `/v1/domains/${name}`, { body, ...(token ? { token } : {}) });
    const relayOf = async (name: string) => (await h.request('GET', `/v1/domains/${name}`)).body;
    /** What Postfix's sender_dependent_relayhost_maps answers for a sender of that hostname. */
    const postfixRelay = async (sender: string) => {
      const query = postfixQueries().senderRelayMaps.replace(
        "'%d'",
        dialect === 'postgres' ? '$1' : '?',
      );
      const { rows } = await h.ctx.store.db.executeQuery<{ relay_host: string }>(
        CompiledQuery.raw(query, [sender.slice(sender.indexOf('@') + 1)]),
      );
      return rows.map((r) => r.relay_host);
    };

    it("sets a root's relay, which its sub-domains follow, and removes it with null", async () => {
      const set = await patch('example.com', { relayHost: ' [SMTP.Relay.test]:587 ' });
      expect(set.status).toBe(200);
      expect(set.body.relayHost).toBe('[smtp.relay.test]:587');
      expect((await relayOf('example.com')).relayHost).toBe('[smtp.relay.test]:587');
      // A sub-domain shows only a relay of its own; the mail plane gives it its root's.
      expect((await relayOf('sales.example.com')).relayHost).toBeNull();
      expect(await postfixRelay('josh@example.com')).toEqual(['[smtp.relay.test]:587']);
      expect(await postfixRelay('amy@sales.example.com')).toEqual(['[smtp.relay.test]:587']);
      expect(await postfixRelay('someone@other.org')).toEqual([]);

      const cleared = await patch('example.com', { relayHost: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.relayHost).toBeNull();
      expect(await postfixRelay('josh@example.com')).toEqual([]);
      expect(await postfixRelay('amy@sales.example.com')).toEqual([]);
    });

    it("lets a sub-domain's own relay win over its root's, and follow the root again once removed", async () => {
      await patch('example.com', { relayHost: '[root-relay.test]:2525' });
      const own = await patch('news.example.com', { relayHost: '[127.0.0.1]:10025' });
      expect(own.body.relayHost).toBe('[127.0.0.1]:10025');
      expect(await postfixRelay('ann@news.example.com')).toEqual(['[127.0.0.1]:10025']);
      expect(await postfixRelay('amy@sales.example.com')).toEqual(['[root-relay.test]:2525']);
      await patch('news.example.com', { relayHost: null });
      expect(await postfixRelay('ann@news.example.com')).toEqual(['[root-relay.test]:2525']);
      await patch('example.com', { relayHost: null });
    });

    it.each([
      ['smtp.relay.test:587', 'not_relay_host', '[host]:port'],
      ['[smtp.relay.test]', 'not_relay_host', '[smtp.relay.example]:587'],
      ['[smtp.relay.test]:70000', 'bad_port', 'from 1 to 65535'],
      ['', 'required', '[host]:port'],
      [`[${'a'.repeat(300)}]:25`, 'too_long', 'at most 261 characters'],
    ])(
      'refuses %j with a problem naming relayHost and the fix, and writes nothing',
      async (relayHost, code, fix) => {
        await patch('example.com', { relayHost: '[kept.relay.test]:587' });
        const res = await patch('example.com', { relayHost, quotaMb: 20_480 });
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.body.errors).toEqual([
          expect.objectContaining({
            field: 'relayHost',
            code,
            message: expect.stringContaining(fix),
          }),
        ]);
        // Neither the relay nor the valid quota of the same request was written.
        const after = await relayOf('example.com');
        expect(after.relayHost).toBe('[kept.relay.test]:587');
        expect(after.quotaMb).not.toBe(20_480);
        expect(await postfixRelay('josh@example.com')).toEqual(['[kept.relay.test]:587']);
      },
    );

    it('refuses a relay the server does not offer, listing those it does, and writes nothing', async () => {
      await patch('example.com', { relayHost: null });
      const res = await patch('example.com', { relayHost: '[10.0.0.5]:25' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          field: 'relayHost',
          code: 'relay_not_offered',
          message: expect.stringContaining('[smtp.relay.test]:587, [root-relay.test]:2525'),
        }),
      ]);
      expect((await relayOf('example.com')).relayHost).toBeNull();
      expect(await postfixRelay('josh@example.com')).toEqual([]);
    });

    it('refuses every relay while the server offers none, saying how the operator offers one', async () => {
      const offered = h.ctx.domainRelays;
      h.ctx.domainRelays = [];
      try {
        const res = await patch('example.com', { relayHost: '[smtp.relay.test]:587' });
        expect(res.status).toBe(422);
        expect(res.body.errors[0]).toMatchObject({
          field: 'relayHost',
          code: 'relay_not_offered',
          message: expect.stringContaining('MAILWRIGHT_DOMAIN_RELAYS'),
        });
      } finally {
        h.ctx.domainRelays = offered;
      }
    });

    it('refuses a relay that is not a string, naming the field', async () => {
      const res = await patch('example.com', { relayHost: 587 });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('relayHost');
    });

    it("never sets another account's domain: 404, and its mail keeps its way", async () => {
      const res = await patch('other.org', { relayHost: '[smtp.relay.test]:587' });
      expect(res.status).toBe(404);
      expect(await postfixRelay('someone@other.org')).toEqual([]);
    });
  });
}
