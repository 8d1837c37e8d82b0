import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsProvider } from '../../src/dns/providers/dns-provider.js';
import { createPowerDnsProvider } from '../../src/dns/providers/powerdns.js';
import { createRfc2136Provider } from '../../src/dns/providers/rfc2136.js';
import { createRecordChecker } from '../../src/dns/record-checker.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startKnot } from '../support/knot-server.js';
import { startPdns } from '../support/pdns-server.js';

/** A real authoritative server for example.com, and the driver that writes to it. */
interface Target {
  provider: DnsProvider;
  dnsAddress: string;
  stop(): Promise<void>;
}

const TARGETS: Record<string, () => Promise<Target>> = {
  'PowerDNS HTTP API': async () => {
    const pdns = await startPdns({ zones: ['example.com'] });
    return {
      provider: createPowerDnsProvider({ apiUrl: pdns.apiUrl, apiKey: pdns.apiKey }),
      dnsAddress: pdns.dnsAddress,
      stop: () => pdns.stop(),
    };
  },
  'RFC 2136 with TSIG (Knot)': async () => {
    const knot = await startKnot({ zones: ['example.com'] });
    return {
      provider: createRfc2136Provider({
        server: knot.address,
        keyName: knot.keyName,
        keySecret: knot.keySecret,
      }),
      dnsAddress: knot.address,
      stop: () => knot.stop(),
    };
  },
};

for (const [driver, start] of Object.entries(TARGETS)) {
  for (const dialect of DIALECTS) {
    describe(`publishing DNS records through ${driver} on ${dialect}`, () => {
      let h: Harness;
      let target: Target;

      beforeAll(async () => {
        target = await start();
        h = await startHarness(dialect);
        // The same context the routes use: publish through the driver, check against that server.
        h.ctx.dnsProvider = target.provider;
        h.ctx.recordChecker = createRecordChecker({
          servers: [target.dnsAddress],
          mailHost: h.ctx.dnsSettings.mailHost,
          timeoutMs: 1000,
        });
        await h.request('POST', '/v1/domains', { body: { name: 'example.com' } });
        await verifyDomain(h.ctx, h.alice.actor, 'example.com', { manual: true });
        await h.request('POST', '/v1/domains/example.com/subdomains', {
          body: { labels: 'sales' },
        });
      }, 60_000);
      afterAll(async () => {
        await h?.close();
        await target?.stop();
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

      it('publishes a domain and its sub-domain in one job, each with its result', async () => {
        const res = await h.request('POST', '/v1/domains/dns/publish', {
          body: { names: ['example.com', 'sales.example.com'] },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        expect(res.body.job.kind).toBe('publish_dns');
        await new JobRunner(h.ctx).runPending();
        const job = (await h.request('GET', `/v1/jobs/${res.body.job.id}`)).body;
        expect(job).toMatchObject({ status: 'succeeded', done: 2, failed: 0 });
        for (const name of res.body.domains) {
          expect((await h.request('GET', `/v1/domains/${name}`)).body.dns.ready, name).toBe(true);
        }
        // Every record is live now, so nothing is pending any more.
        const pending = await h.request('POST', '/v1/domains/dns/publish', {
          body: { pending: true },
        });
        expect(pending.status).toBe(409);
        expect(pending.body.code).toBe('nothing_pending');
      });

      it('shows a foreign MX and a foreign DKIM key as mismatch with their hints', async () => {
        const plan = (await h.request('GET', '/v1/domains/example.com/dns')).body.records as {
          type: string;
          host: string;
        }[];
        const dkimHost = plan.find((r) => r.host.includes('._domainkey.'))!.host;
        await target.provider.publish('example.com', [
          {
            type: 'MX',
            host: 'example.com',
            value: '10 mx.elsewhere.test.',
            ttl: 3600,
            purpose: 'test',
          },
          {
            type: 'TXT',
            host: dkimHost,
            value: 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwrongkey',
            ttl: 3600,
            purpose: 'test',
          },
        ]);
        const checked = (await h.request('GET', '/v1/domains/example.com/dns?check=true')).body
          .records as { type: string; host: string; status: string; hint: string }[];
        const mx = checked.find((r) => r.type === 'MX')!;
        const dkim = checked.find((r) => r.host === dkimHost)!;
        expect(mx).toMatchObject({ status: 'mismatch' });
        expect(mx.hint).toContain(h.ctx.dnsSettings.mailHost);
        expect(dkim).toMatchObject({ status: 'mismatch' });
        expect(dkim.hint).toMatch(/key/i);
        const fixed = await h.request('POST', '/v1/domains/example.com/dns/publish');
        expect(fixed.body.changed).toBe(2);
        for (const r of fixed.body.records) expect(r, r.hint).toMatchObject({ status: 'ok' });
      });

      it('shows a deliberately wrong SPF as mismatch with a hint, until published again', async () => {
        await target.provider.publish('example.com', [
          { type: 'TXT', host: 'example.com', value: 'v=spf1 -all', ttl: 3600, purpose: 'test' },
        ]);
        const checked = await h.request('GET', '/v1/domains/example.com/dns?check=true');
        const spf = checked.body.records.find((r: { value: string }) =>
          r.value.startsWith('v=spf1'),
        );
        expect(spf.status).toBe('mismatch');
        expect(spf.hint).toMatch(/mx/);
        const fixed = await h.request('POST', '/v1/domains/example.com/dns/publish');
        expect(fixed.body.changed).toBe(1);
      });
    });
  }
}
