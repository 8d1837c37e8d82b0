import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/core/token-scopes.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { bulk, call, runJobs } from '../bulk/bulk-support.js';
import { DIALECTS } from '../support/dialects.js';
import { singleMailbox } from '../support/mailbox-fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';

const openapi = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));

/** Every operation a bearer token may call, with the scope openapi.json says it needs. */
const scoped = Object.entries<Record<string, { security?: Record<string, string[]>[] }>>(
  openapi.paths,
).flatMap(([path, methods]) =>
  Object.entries(methods).flatMap(([method, op]) => {
    const bearer = op.security?.find((s) => 'bearer' in s)?.bearer;
    return bearer === undefined
      ? []
      : [
          {
            method: method.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'DELETE',
            path,
            scope: bearer[0] as Scope,
            target: path
              .replace('{name}', 'one.test')
              .replace('{address}', 'josh@one.test')
              .replace('{id}', '00000000-0000-4000-8000-000000000000'),
          },
        ];
  }),
);

const tokenWith = async (
  h: Harness,
  scopes: readonly Scope[],
  domains?: string[],
  label = `with ${scopes.join(' ')}`,
) =>
  (
    await createApiToken(h.ctx, {
      account: 'alice',
      label,
      actor: 'test',
      scopes,
      ...(domains ? { domains } : {}),
    })
  ).token;

describe('the contract', () => {
  it('names one known scope for every operation that takes a bearer token', () => {
    expect(scoped.length).toBeGreaterThan(25);
    for (const op of scoped) expect(SCOPES, `${op.method} ${op.path}`).toContain(op.scope);
    const unscoped = Object.entries<Record<string, { security?: unknown[] }>>(openapi.paths)
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ method, path, op })),
      )
      .filter(({ op }) => op.security === undefined);
    expect(unscoped).toEqual([]);
  });
});

for (const dialect of DIALECTS) {
  describe(`scoped API tokens on ${dialect}`, () => {
    let h: Harness;
    const tokens = new Map<string, string>();

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'one.test');
      for (const scope of new Set(scoped.map((op) => op.scope))) {
        tokens.set(`only ${scope}`, await tokenWith(h, [scope]));
        tokens.set(
          `all but ${scope}`,
          await tokenWith(
            h,
            SCOPES.filter((s) => s !== scope && s !== 'admin'),
            undefined,
            `all but ${scope}`,
          ),
        );
      }
    });
    afterAll(() => h.close());

    it.each(scoped)(
      '$method $path: 403 insufficient_scope without $scope, not 403 with it',
      async ({ method, target, scope }) => {
        const without = await h.request(method, target, {
          token: tokens.get(`all but ${scope}`)!,
          body: method === 'GET' || method === 'DELETE' ? undefined : {},
        });
        expect(without.status, JSON.stringify(without.body)).toBe(403);
        expect(without.body).toMatchObject({ code: 'insufficient_scope', scope });
        expect(without.body.detail).toContain(`"${scope}"`);

        const withIt = await h.request(method, target, {
          token: tokens.get(`only ${scope}`)!,
          body: method === 'GET' || method === 'DELETE' ? undefined : {},
        });
        expect(withIt.status, JSON.stringify(withIt.body)).not.toBe(403);
        expect(withIt.status).not.toBe(401);
      },
    );

    it('creates a scoped token over the API, lists its scopes and records its label', async () => {
      const created = await h.request('POST', '/v1/tokens', {
        body: { label: 'reader', scopes: ['mailboxes:read', 'domains:read'] },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        scopes: ['domains:read', 'mailboxes:read'],
        domains: null,
      });
      const listed = await h.request('GET', '/v1/tokens');
      expect(listed.body.items).toContainEqual(
        expect.objectContaining({
          id: created.body.id,
          scopes: ['domains:read', 'mailboxes:read'],
        }),
      );
      const refused = await h.request('POST', '/v1/domains', {
        token: created.body.token,
        body: { name: 'three.test' },
      });
      expect(refused.status).toBe(403);

      const writer = await tokenWith(h, ['domains:write']);
      expect(
        (await h.request('POST', '/v1/domains', { token: writer, body: { name: 'three.test' } }))
          .status,
      ).toBe(201);
      const events = await h.request('GET', '/v1/events?limit=1');
      expect(events.body.items[0]).toMatchObject({
        action: 'domain.created',
        actor: expect.stringMatching(/^token:with domains:write \([0-9a-f-]{36}\)$/),
      });
    });

    it('refuses a token request without scopes, with an unknown one or a bad domain', async () => {
      for (const body of [
        { label: 'x' },
        { label: 'x', scopes: [] },
        { label: 'x', scopes: ['root'] },
      ]) {
        const res = await h.request('POST', '/v1/tokens', { body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body.errors[0].field).toMatch(/^scopes/);
      }
      const sub = await h.request('POST', '/v1/tokens', {
        body: { label: 'x', scopes: ['admin'], domains: ['mail.one.test'] },
      });
      expect(sub.status).toBe(422);
      expect(sub.body.errors[0]).toMatchObject({ field: 'domains', code: 'not_root' });
    });

    it('keeps tokens made before scopes at full access', async () => {
      const row = await h.ctx.store.db
        .selectFrom('api_tokens')
        .select('scopes')
        .where('token_hash', '!=', '')
        .orderBy('created_at')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(row.scopes)).toEqual(['admin']);
      expect((await h.request('GET', '/v1/events')).status).toBe(200);
    });
  });

  describe(`domain-restricted API tokens on ${dialect}`, () => {
    let h: Harness;
    let restricted: string;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'one.test');
      await h.verifiedDomain(h.alice, 'two.test');
      for (const domain of ['one.test', 'two.test']) {
        expect(
          (
            await h.request('POST', `/v1/domains/${domain}/subdomains`, {
              body: { labels: 'sales' },
            })
          ).status,
        ).toBe(200);
        for (const d of [domain, `sales.${domain}`]) {
          const res = await h.request('POST', '/v1/mailboxes', {
            body: singleMailbox({ domain: d }),
          });
          expect(res.status, JSON.stringify(res.body)).toBe(201);
        }
        const alias = await h.request('POST', '/v1/aliases', {
          body: { address: `info@${domain}`, targets: [`josh@${domain}`] },
        });
        expect(alias.status, JSON.stringify(alias.body)).toBe(201);
      }
      restricted = await tokenWith(h, ['admin'], ['one.test']);
    });
    afterAll(() => h.close());

    const as = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
      h.request(method, path, { token: restricted, body });

    it('lists only its domains and their mailboxes', async () => {
      const domains = await as('GET', '/v1/domains');
      expect(domains.body.items.map((d: { name: string }) => d.name)).toEqual([
        'one.test',
        'sales.one.test',
      ]);
      const mailboxes = await as('GET', '/v1/mailboxes');
      expect(mailboxes.body.items.map((m: { address: string }) => m.address)).toEqual([
        'josh@one.test',
        'josh@sales.one.test',
      ]);
      expect((await as('GET', '/v1/mailboxes?domain=two.test')).status).toBe(404);
      const aliases = await as('GET', '/v1/aliases');
      expect(aliases.body.items.map((m: { address: string }) => m.address)).toEqual([
        'info@one.test',
      ]);
    });

    it.each([
      ['GET', '/v1/domains/two.test'],
      ['GET', '/v1/domains/sales.two.test'],
      ['PATCH', '/v1/domains/two.test', { quotaMb: 2048 }],
      ['DELETE', '/v1/domains/sales.two.test'],
      ['POST', '/v1/domains/two.test/verify', {}],
      ['POST', '/v1/domains/two.test/subdomains', { labels: 'ops' }],
      ['GET', '/v1/domains/two.test/dns'],
      ['GET', '/v1/domains/two.test/dns.zone'],
      ['POST', '/v1/domains/two.test/dkim/rotate', {}],
      ['GET', '/v1/mailboxes/josh@two.test'],
      ['GET', '/v1/mailboxes/josh@sales.two.test'],
      ['PATCH', '/v1/mailboxes/josh@two.test', { name: 'Mallory Smith' }],
      ['DELETE', '/v1/mailboxes/josh@two.test'],
      ['POST', '/v1/mailboxes', singleMailbox({ localPart: 'eve', domain: 'two.test' })],
      ['POST', '/v1/mailboxes', bulk({ name: 'Eve Smith', domain: 'two.test' })],
      ['POST', '/v1/domains', { name: 'three.test' }],
      ['GET', '/v1/aliases/info@two.test'],
      ['PATCH', '/v1/aliases/info@two.test', { targets: ['josh@one.test'] }],
      ['DELETE', '/v1/aliases/info@two.test'],
      ['POST', '/v1/aliases', { address: 'sales@two.test', targets: ['josh@one.test'] }],
      [
        'POST',
        '/v1/mailboxes/bulk-forwarding',
        { domains: ['two.test'], forwarding: { to: ['josh@one.test'] } },
      ],
      ['GET', '/v1/mailboxes/josh@two.test/app-passwords'],
      ['POST', '/v1/mailboxes/josh@two.test/app-passwords', { label: 'phone' }],
      ['DELETE', '/v1/mailboxes/josh@two.test/app-passwords/0123456789abcdef'],
      ['POST', '/v1/domains/two.test/dns/publish', {}],
      ['POST', '/v1/domains/two.test/dkim/retire', { selector: 'mw1' }],
      ['POST', '/v1/domains/two.test/mta-sts-certificate'],
      ['POST', '/v1/mailboxes/bulk-sending', { domain: 'two.test', sending: { dailyLimit: 5 } }],
      [
        'POST',
        '/v1/mailboxes',
        {
          mode: 'spread',
          domains: ['one.test', 'two.test'],
          personas: [{ name: 'Eve Smith' }],
          perDomain: 1,
          password: { generate: true },
        },
      ],
      ['POST', '/v1/domains/batch', { names: 'three.test' }],
    ] as const)('answers 404 for %s %s outside its domains', async (method, path, body?) => {
      const res = await as(method, path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(404);
      expect(res.body.code).toMatch(/_not_found$/);
    });

    // Bulk publishing selects its domains as bulk verification does (queueDomainJob); without a
    // DNS host configured here it stops earlier, at 409, whatever the names.
    it.each([
      ['POST', '/v1/domains/verify', { names: ['two.test'] }, 'names.0'],
      ['GET', '/v1/domains/dns/export.zip?names=two.test', undefined, 'names.0'],
      ['GET', '/v1/domains/dns/records.csv?names=two.test', undefined, 'names.0'],
      ['POST', '/v1/mailboxes/export', { domains: ['two.test'] }, 'domains.0'],
    ] as const)(
      'names the domain outside its own as not found in %s %s',
      async (method, path, body, field) => {
        const res = await as(method, path, body);
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        expect(res.body.errors).toEqual([
          expect.objectContaining({ field, code: 'domain_not_found' }),
        ]);
      },
    );

    it('refuses other domains in bulk requests and CSV rows, and nothing changes', async () => {
      const mailboxes = await as('POST', '/v1/mailboxes/bulk-delete', {
        addresses: ['josh@sales.one.test', 'josh@two.test'],
      });
      expect(mailboxes.status).toBe(422);
      expect(mailboxes.body.errors).toEqual([
        expect.objectContaining({ field: 'addresses.1', code: 'mailbox_not_found' }),
      ]);
      const domains = await as('POST', '/v1/domains/bulk-delete', {
        names: ['two.test'],
        cascade: true,
      });
      expect(domains.status).toBe(422);
      expect(domains.body.errors[0]).toMatchObject({ field: 'names.0', code: 'domain_not_found' });
      const forwarded = await as('POST', '/v1/mailboxes/bulk-forwarding', {
        addresses: ['josh@one.test', 'josh@two.test'],
        forwarding: { to: ['info@one.test'] },
      });
      expect(forwarded.status).toBe(422);
      expect(forwarded.body.errors).toEqual([
        expect.objectContaining({ field: 'addresses.1', code: 'mailbox_not_found' }),
      ]);

      const imported = await call(h, 'POST', '/v1/mailboxes/import', {
        body: 'name,local_part,domain\nAnna Berg,anna,one.test\nEve Smith,eve,two.test\n',
        headers: { 'content-type': 'text/csv' },
        token: restricted,
      });
      expect(imported.status, JSON.stringify(imported.body)).toBe(202);
      await runJobs(h);
      const addresses = (
        await h.ctx.store.db.selectFrom('mailboxes').select('address').execute()
      ).map((m) => m.address);
      expect(addresses).toContain('anna@one.test');
      expect(addresses).not.toContain('eve@two.test');
      expect(addresses).toContain('josh@two.test');
    });

    it("sees only its own jobs and events, not the account's others", async () => {
      const other = await h.request('POST', '/v1/mailboxes', {
        body: bulk({ name: 'Ola Nord', domain: 'two.test' }),
      });
      expect(other.status, JSON.stringify(other.body)).toBe(202);
      expect((await as('GET', `/v1/jobs/${other.body.id}`)).status).toBe(404);
      expect((await as('POST', `/v1/jobs/${other.body.id}/cancel`, {})).status).toBe(404);
      const jobs = await as('GET', '/v1/jobs');
      expect(jobs.body.items.map((j: { id: string }) => j.id)).not.toContain(other.body.id);
      const events = await as('GET', '/v1/events?limit=500');
      expect(events.body.items.length).toBeGreaterThan(0);
      for (const e of events.body.items) expect(e.actor).toMatch(/^token:with admin \(/);
    });

    it('cannot widen itself: no wider token, no revoking a wider one', async () => {
      const wider = await as('POST', '/v1/tokens', { label: 'all', scopes: ['admin'] });
      expect(wider.status).toBe(403);
      expect(wider.body.code).toBe('insufficient_scope');
      const elsewhere = await as('POST', '/v1/tokens', {
        label: 'two',
        scopes: ['mailboxes:read'],
        domains: ['two.test'],
      });
      expect(elsewhere.status).toBe(403);
      const narrower = await as('POST', '/v1/tokens', {
        label: 'one reader',
        scopes: ['mailboxes:read'],
        domains: ['one.test'],
      });
      expect(narrower.status).toBe(201);
      const aliceTokenId = h.alice.actor.name.slice('token:'.length);
      expect((await as('DELETE', `/v1/tokens/${aliceTokenId}`)).status).toBe(404);
      expect((await h.request('GET', '/v1/domains')).status).toBe(200);
      expect((await as('DELETE', `/v1/tokens/${narrower.body.id}`)).status).toBe(204);
    });
  });
}
