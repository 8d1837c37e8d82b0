import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { DEFAULT_UNVERIFIED_DOMAIN_DAYS } from '../../src/core/domain-claims.js';
import type { PlannedRecord } from '../../src/core/dns-record.js';
import { publishDns } from '../../src/services/dns-records/publish-dns.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';

const DAY = 86_400_000;

describe('MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS', () => {
  it('defaults to 7 days and takes a whole number of days', () => {
    expect(loadConfig({}).unverifiedDomainDays).toBe(DEFAULT_UNVERIFIED_DOMAIN_DAYS);
    expect(DEFAULT_UNVERIFIED_DOMAIN_DAYS).toBe(7);
    expect(loadConfig({ MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS: '30' }).unverifiedDomainDays).toBe(30);
    expect(() => loadConfig({ MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS: '0' })).toThrow(
      /MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS/,
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`domain claims on ${dialect}`, () => {
    let h: Harness;
    let now = new Date('2026-11-25T09:00:00.000Z');

    beforeAll(async () => {
      h = await startHarness(dialect, { clock: () => now });
    });
    afterAll(() => h.close());

    const as = (tenant: Tenant) => ({ token: tenant.token });
    const add = (tenant: Tenant, name: string) =>
      h.request('POST', '/v1/domains', { body: { name }, ...as(tenant) });
    const verify = (tenant: Tenant, name: string) =>
      h.request('POST', `/v1/domains/${name}/verify`, as(tenant));
    const publishTxt = (...domains: { verification: { host: string; value: string } }[]) =>
      h.dns.setTxt(
        domains[0]!.verification.host,
        domains.map((d) => d.verification.value),
      );
    const holds = async (tenant: Tenant, name: string) =>
      (
        await h.ctx.store.db
          .selectFrom('domains')
          .select('id')
          .where('account_id', '=', tenant.actor.accountId)
          .where('name', '=', name)
          .execute()
      ).length === 1;
    const events = async (tenant: Tenant) =>
      h.ctx.store.db
        .selectFrom('events')
        .select(['action', 'target'])
        .where('account_id', '=', tenant.actor.accountId)
        .orderBy('id')
        .execute();

    it('lets two accounts claim one unverified name; the first to prove it takes it', async () => {
      const bobs = await add(h.bob, 'shared.org');
      expect(bobs.status).toBe(201);
      const alices = await add(h.alice, 'shared.org');
      expect(alices.status).toBe(201);
      expect(alices.body.verification.value).not.toBe(bobs.body.verification.value);
      const sub = await h.request('POST', '/v1/domains/shared.org/subdomains', {
        body: { labels: ['sales'] },
      });
      expect(sub.body.created).toHaveLength(1);

      publishTxt(bobs.body);
      const bobVerified = await verify(h.bob, 'shared.org');
      expect(bobVerified.status).toBe(200);
      expect(bobVerified.body.status).toBe('verified');

      // Alice's claim and its sub-domain went in the same transaction, recorded in her log.
      expect((await h.request('GET', '/v1/domains/shared.org')).status).toBe(404);
      expect((await h.request('GET', '/v1/domains/sales.shared.org')).status).toBe(404);
      expect(await events(h.alice)).toContainEqual({
        action: 'domain.claim_lost',
        target: 'shared.org',
      });
      const rows = await h.ctx.store.db
        .selectFrom('mail_domains' as never)
        .select('name' as never)
        .where('name' as never, '=', 'shared.org' as never)
        .execute();
      expect(rows).toHaveLength(1);
    });

    it("answers adding another account's verified name as any add, and tells only a prover", async () => {
      const before = await events(h.bob);
      const claim = await add(h.alice, 'shared.org');
      expect(claim.status).toBe(201);
      expect(claim.body.status).toBe('pending');

      // Without proof: the same failure as for any name whose record is missing.
      const unproven = await verify(h.alice, 'shared.org');
      expect(unproven.status).toBe(409);
      expect(unproven.body.code).toBe('verification_failed');

      // With proof (her value published beside Bob's): taken, with what to do.
      const bobs = await h.request('GET', '/v1/domains/shared.org', as(h.bob));
      publishTxt(bobs.body, claim.body);
      const proven = await verify(h.alice, 'shared.org');
      expect(proven.status).toBe(409);
      expect(proven.body.code).toBe('domain_taken');
      expect(proven.body.detail).toContain('contact the operator');
      expect(proven.body.detail).not.toContain('bob');
      expect((await h.request('GET', '/v1/domains/shared.org')).body.status).toBe('pending');
      expect((await h.request('GET', '/v1/domains/shared.org', as(h.bob))).body.status).toBe(
        'verified',
      );
      expect(await events(h.bob)).toEqual(before);
    });

    it("never publishes a pending claim's records over another account's verified name", async () => {
      const published: string[] = [];
      const ctx = {
        ...h.ctx,
        dnsProvider: {
          kind: 'rfc2136' as const,
          publish: async (zone: string, _records: PlannedRecord[]) => {
            published.push(zone);
            return { changed: 0 };
          },
        },
      };
      await expect(publishDns(ctx, h.alice.actor, 'shared.org')).rejects.toMatchObject({
        code: 'domain_taken',
      });
      expect(published).toEqual([]);
      await publishDns(ctx, h.bob.actor, 'shared.org');
      expect(published).toEqual(['shared.org']);
    });

    it('lets an unverified claim lapse after the configured days', async () => {
      const claim = await add(h.alice, 'lapse.net');
      expect(claim.status).toBe(201);
      await add(h.alice, 'keep.net');
      now = new Date(now.getTime() + (DEFAULT_UNVERIFIED_DOMAIN_DAYS - 1) * DAY);
      const kept = await h.request('GET', '/v1/domains');
      expect(kept.body.items.map((d: { name: string }) => d.name)).toContain('lapse.net');

      now = new Date(now.getTime() + 2 * DAY);
      publishTxt(claim.body);
      const late = await verify(h.alice, 'lapse.net');
      expect(late.status).toBe(410);
      expect(late.body.code).toBe('claim_expired');
      expect(late.body.detail).toContain(`within ${DEFAULT_UNVERIFIED_DOMAIN_DAYS} days`);
      const listed = await h.request('GET', '/v1/domains');
      expect(listed.body.items.map((d: { name: string }) => d.name)).not.toContain('keep.net');
      expect(await events(h.alice)).toContainEqual({
        action: 'domain.claim_lapsed',
        target: 'lapse.net',
      });

      // Added again, it starts a new claim with a new value.
      const again = await add(h.alice, 'lapse.net');
      expect(again.status).toBe(201);
      expect(again.body.verification.value).not.toBe(claim.body.verification.value);
    });

    it("removes another account's lapsed claim on a name when the name is added", async () => {
      await add(h.bob, 'stale.io');
      now = new Date(now.getTime() + 30 * DAY);
      expect(await holds(h.bob, 'stale.io')).toBe(true);
      expect((await add(h.alice, 'stale.io')).status).toBe(201);
      expect(await holds(h.bob, 'stale.io')).toBe(false);
      expect(await events(h.bob)).toContainEqual({
        action: 'domain.claim_lapsed',
        target: 'stale.io',
      });
    });

    it('takes the number of days from the context (MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS)', async () => {
      h.ctx.unverifiedDomainDays = 1;
      try {
        await add(h.alice, 'short.net');
        now = new Date(now.getTime() + 2 * DAY);
        const listed = await h.request('GET', '/v1/domains');
        expect(listed.body.items.map((d: { name: string }) => d.name)).not.toContain('short.net');
      } finally {
        delete h.ctx.unverifiedDomainDays;
      }
    });
  });
}
