import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

for (const dialect of DIALECTS) {
  describe(`domain verification through a real DNS server on ${dialect}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(() => h.close());

    const add = async (name: string) =>
      (await h.request('POST', '/v1/domains', { body: { name } })).body;

    it('verifies when the TXT value is among the answers (split strings joined)', async () => {
      const domain = await add('proven.com');
      const value: string = domain.verification.value;
      h.dns.setTxt(domain.verification.host, [
        'v=spf1 -all',
        [value.slice(0, 10), value.slice(10)],
      ]);
      const res = await h.request('POST', '/v1/domains/proven.com/verify');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('verified');
      const events = await h.request('GET', '/v1/events');
      expect(events.body.items[0]).toMatchObject({
        action: 'domain.verified',
        target: 'proven.com',
      });
    });

    it('fails with 409 verification_failed listing what was found', async () => {
      const domain = await add('wrong-value.com');
      h.dns.setTxt(domain.verification.host, ['mailwright-verification=somebody-else']);
      const res = await h.request('POST', '/v1/domains/wrong-value.com/verify');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'verification_failed',
        host: '_mailwright.wrong-value.com',
        expected: domain.verification.value,
        lookup: 'ok',
        found: ['mailwright-verification=somebody-else'],
      });
      expect(res.body.detail).toContain(domain.verification.value);
      expect((await h.request('GET', '/v1/domains/wrong-value.com')).body.status).toBe('pending');
    });

    it('reports a missing record (NXDOMAIN) and a failing server (SERVFAIL) as such', async () => {
      await add('unpublished.com');
      const missing = await h.request('POST', '/v1/domains/unpublished.com/verify');
      expect(missing.status).toBe(409);
      expect(missing.body.lookup).toBe('nxdomain');
      await add('broken-dns.com');
      h.dns.servfail('_mailwright.broken-dns.com');
      const broken = await h.request('POST', '/v1/domains/broken-dns.com/verify');
      expect(broken.status).toBe(409);
      expect(broken.body.lookup).toBe('servfail');
    });
  });
}
