import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateAuthorityFor } from '../../src/app/certificates.js';
import { loadConfig } from '../../src/app/config.js';
import { startChallengeListener } from '../../src/certificates/acme-challenges.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { startAcmeCa, type AcmeCa } from '../support/acme-ca.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

const MAIL_HOST = 'mx.api-certs.example';

/**
 * The certificates through the REST API, obtained from a real ACME server (pebble on loopback)
 * that validates HTTP-01 against Mailwright's port-80 listener, as the running server has it.
 */
describe.each(DIALECTS)('certificates through the API on %s', (dialect) => {
  let h: Harness;
  let ca: AcmeCa;
  let port80: { close(): Promise<void> };

  beforeAll(async () => {
    h = await startHarness(dialect, {
      // A web address, so a root domain may have a redirect (docs/dns.md).
      dnsSettings: { mailHost: MAIL_HOST, web: { ipv4: '127.0.0.1' } },
    });
    ca = await startAcmeCa(h.dns, [
      MAIL_HOST,
      'mta-sts.alice.example',
      'mta-sts.bob.example',
      'alice.example',
      'www.alice.example',
      // www.bob.example is in no DNS: the CA cannot validate it.
      'bob.example',
    ]);
    const config = loadConfig({ ...ca.env, MAILWRIGHT_MAIL_HOST: MAIL_HOST });
    // The harness's app reads ctx at each request: the CA joins it as the server's does at start.
    h.ctx.certificates = certificateAuthorityFor(config);
    port80 = await startChallengeListener(ca.dataDir, config.httpListen!);
    await h.verifiedDomain(h.alice, 'alice.example');
    await h.verifiedDomain(h.bob, 'bob.example');
    await addDomain(h.ctx, h.alice.actor, { name: 'pending.example' });
    await h.verifiedDomain(h.alice, 'shop.example');
  }, 60_000);

  afterAll(async () => {
    await port80?.close();
    await ca?.close();
    await h?.close();
  });

  it('issues the MTA-STS host certificate of a verified domain and lists it with its expiry', async () => {
    const issued = await h.request('POST', '/v1/domains/alice.example/mta-sts-certificate');
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({
      name: 'mta-sts.alice.example',
      kind: 'mta_sts',
      renewalDue: false,
    });
    expect(issued.body.daysLeft).toBeGreaterThan(30);

    const listed = await h.request('GET', '/v1/certificates');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([issued.body]);
  }, 60_000);

  it('refuses an unverified domain with a code and the fix, asking the CA nothing', async () => {
    const refused = await h.request('POST', '/v1/domains/pending.example/mta-sts-certificate');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('domain_not_verified');
    expect(refused.body.detail).toMatch(/verify the domain first \(mailwright domain verify/);
    const names = (await h.request('GET', '/v1/certificates')).body.items.map(
      (c: { name: string }) => c.name,
    );
    expect(names).not.toContain('mta-sts.pending.example');
  });

  it("shows an account the mail host's certificate and its own, never another account's", async () => {
    const other = await h.request('POST', '/v1/domains/alice.example/mta-sts-certificate', {
      token: h.bob.token,
    });
    expect(other.status).toBe(404);
    expect(
      (
        await h.request('POST', '/v1/domains/bob.example/mta-sts-certificate', {
          token: h.bob.token,
        })
      ).status,
    ).toBe(200);
    await h.ctx.certificates!.issue(MAIL_HOST);

    const names = async (token: string) =>
      (await h.request('GET', '/v1/certificates', { token })).body.items.map(
        (c: { name: string }) => c.name,
      );
    expect(await names(h.alice.token)).toEqual(['mta-sts.alice.example', MAIL_HOST]);
    expect(await names(h.bob.token)).toEqual(['mta-sts.bob.example', MAIL_HOST]);
  }, 120_000);

  const names = async (token: string) =>
    (await h.request('GET', '/v1/certificates', { token })).body.items.map(
      (c: { name: string }) => c.name,
    );

  it("refuses a redirected domain's web hosts until the domain is verified and redirected, before asking the CA", async () => {
    const web = (name: string) => h.request('POST', `/v1/domains/${name}/web-certificates`);
    const noRedirect = await web('alice.example');
    expect(noRedirect.status).toBe(409);
    expect(noRedirect.body).toMatchObject({
      code: 'no_web_redirect',
      errors: [{ field: 'redirectTo', code: 'no_web_redirect' }],
    });
    expect(noRedirect.body.detail).toMatch(
      /alice\.example has no web redirect \(redirectTo\), so this host answers no web request for alice\.example and www\.alice\.example .*: set one first \(PATCH \/v1\/domains\/alice\.example \{"redirectTo"/,
    );

    await h.request('POST', '/v1/domains/shop.example/subdomains', { body: { labels: 'sales' } });
    const sub = await web('sales.shop.example');
    expect(sub.status).toBe(409);
    expect(sub.body.code).toBe('no_web_redirect');
    expect(sub.body.detail).toMatch(/only a root domain has one/);

    const pending = await web('pending.example');
    expect(pending.status).toBe(409);
    expect(pending.body).toMatchObject({
      code: 'domain_not_verified',
      errors: [{ field: 'name', code: 'domain_not_verified' }],
    });
    expect(pending.body.detail).toMatch(/verify the domain first \(mailwright domain verify/);

    expect((await web('bob.example')).status).toBe(404);
    expect((await web('nowhere.example')).status).toBe(404);
    const listed = await names(h.alice.token);
    expect(listed).not.toContain('alice.example');
    expect(listed).not.toContain('www.alice.example');
  });

  it('issues <domain> and www.<domain> of a redirected domain, each listed for its own account only', async () => {
    const set = await h.request('PATCH', '/v1/domains/alice.example', {
      body: { redirectTo: 'https://www.example.net/' },
    });
    expect(set.status).toBe(200);
    const issued = await h.request('POST', '/v1/domains/alice.example/web-certificates');
    expect(issued.status).toBe(200);
    expect(issued.body.failed).toEqual([]);
    expect(issued.body.issued.map((c: { name: string }) => c.name)).toEqual([
      'alice.example',
      'www.alice.example',
    ]);
    for (const c of issued.body.issued) {
      expect(c).toMatchObject({ kind: 'web', renewalDue: false });
      expect(c.daysLeft).toBeGreaterThan(30);
    }

    expect(await names(h.alice.token)).toEqual([
      'alice.example',
      'mta-sts.alice.example',
      MAIL_HOST,
      'www.alice.example',
    ]);
    expect(await names(h.bob.token)).toEqual(['mta-sts.bob.example', MAIL_HOST]);
    // A token limited to another domain of the account sees none of alice.example's.
    const { token: limited } = await createApiToken(h.ctx, {
      account: 'alice',
      actor: 'test',
      domains: ['shop.example'],
    });
    expect(await names(limited)).toEqual([MAIL_HOST]);
  }, 120_000);

  it('says which name failed when the CA issues one and not the other', async () => {
    await h.request('PATCH', '/v1/domains/bob.example', {
      body: { redirectTo: 'https://www.example.net/' },
      token: h.bob.token,
    });
    const result = await h.request('POST', '/v1/domains/bob.example/web-certificates', {
      token: h.bob.token,
    });
    expect(result.status).toBe(200);
    expect(result.body.issued.map((c: { name: string }) => c.name)).toEqual(['bob.example']);
    expect(result.body.failed).toEqual([{ name: 'www.bob.example', message: expect.any(String) }]);
    expect(await names(h.bob.token)).toEqual(['bob.example', 'mta-sts.bob.example', MAIL_HOST]);
  }, 120_000);
});
