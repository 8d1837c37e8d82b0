import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateAuthorityFor } from '../../src/app/certificates.js';
import { loadConfig } from '../../src/app/config.js';
import { startChallengeListener } from '../../src/certificates/acme-challenges.js';
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
    h = await startHarness(dialect, { dnsSettings: { mailHost: MAIL_HOST } });
    ca = await startAcmeCa(h.dns, [MAIL_HOST, 'mta-sts.alice.example', 'mta-sts.bob.example']);
    const config = loadConfig({ ...ca.env, MAILWRIGHT_MAIL_HOST: MAIL_HOST });
    // The harness's app reads ctx at each request: the CA joins it as the server's does at start.
    h.ctx.certificates = certificateAuthorityFor(config);
    port80 = await startChallengeListener(ca.dataDir, config.httpListen!);
    await h.verifiedDomain(h.alice, 'alice.example');
    await h.verifiedDomain(h.bob, 'bob.example');
    await addDomain(h.ctx, h.alice.actor, { name: 'pending.example' });
  }, 60_000);

  afterAll(async () => {
    await port80?.close();
    await ca?.close();
    await h?.close();
  });

  it('issues the MTA-STS host certificate of a verified domain and lists it with its expiry', async () => {
    const issued = await h.request('POST', '/v1/domains/alice.example/mta-sts-certificate');
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ name: 'mta-sts.alice.example', renewalDue: false });
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
});
