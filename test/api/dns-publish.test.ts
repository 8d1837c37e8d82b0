import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPowerDnsProvider } from '../../src/dns/providers/powerdns.js';
import { createRecordChecker } from '../../src/dns/record-checker.js';
import { verifyDomain } from '../../src/services/verify-domain.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startPdns, type TestPdns } from '../support/pdns-server.js';

for (const dialect of DIALECTS) {
  describe(`publishing DNS records to PowerDNS on ${dialect}`, () => {
    let h: Harness;
    let pdns: TestPdns;

    beforeAll(async () => {
      pdns = await startPdns({ zones: ['example.com'] });
      h = await startHarness(dialect);
      // The same context the routes use: publish through PowerDNS, check against its DNS port.
      h.ctx.dnsProvider = createPowerDnsProvider({ apiUrl: pdns.apiUrl, apiKey: pdns.apiKey });
      h.ctx.recordChecker = createRecordChecker({
        servers: [pdns.dnsAddress],
        mailHost: h.ctx.dnsSettings.mailHost,
        timeoutMs: 1000,
      });
      await h.request('POST', '/v1/domains', { body: { name: 'example.com' } });
      await verifyDomain(h.ctx, h.alice.actor, 'example.com', { manual: true });
      await h.request('POST', '/v1/domains/example.com/subdomains', { body: { labels: 'sales' } });
    }, 60_000);
    afterAll(async () => {
      await h?.close();
      await pdns?.stop();
    });

    it('takes every record from missing to ok, and a second publish changes nothing', async () => {
      const before = await h.request('GET', '/v1/domains/example.com/dns?check=true');
      expect(before.body.records.every((r: { status: string }) => r.status === 'missing')).toBe(
        true,
      );

      const first = await h.request('POST', '/v1/domains/example.com/dns/publish');
      expect(first.status).toBe(200);
      expect(first.body.changed).toBeGreaterThan(5);
      for (const r of first.body.records) expect(r, r.hint).toMatchObject({ status: 'ok' });
      expect((await h.request('GET', '/v1/domains/example.com')).body.dns.ready).toBe(true);

      const again = await h.request('POST', '/v1/domains/example.com/dns/publish');
      expect(again.body.changed).toBe(0);
    });

    it("publishes a sub-domain's records into its root's zone", async () => {
      const res = await h.request('POST', '/v1/domains/sales.example.com/dns/publish');
      expect(res.status).toBe(200);
      for (const r of res.body.records) expect(r, r.hint).toMatchObject({ status: 'ok' });
    });

    it('shows a deliberately wrong SPF as mismatch with a hint, until published again', async () => {
      const patched = await pdns.api('PATCH', '/api/v1/servers/localhost/zones/example.com.', {
        rrsets: [
          {
            name: 'example.com.',
            type: 'TXT',
            ttl: 3600,
            changetype: 'REPLACE',
            records: [{ content: '"v=spf1 -all"', disabled: false }],
          },
        ],
      });
      expect(patched.status).toBe(204);
      const checked = await h.request('GET', '/v1/domains/example.com/dns?check=true');
      const spf = checked.body.records.find((r: { value: string }) => r.value.startsWith('v=spf1'));
      expect(spf.status).toBe('mismatch');
      expect(spf.hint).toMatch(/mx/);
      const fixed = await h.request('POST', '/v1/domains/example.com/dns/publish');
      expect(fixed.body.changed).toBe(1);
    });
  });
}
