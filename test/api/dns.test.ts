import { createPrivateKey, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import type { RecordType } from '../../src/core/dns-record.js';

const MAIL_HOST = 'mx.mailwright.test';

interface Rec {
  type: RecordType;
  host: string;
  value: string;
  ttl: number;
  purpose: string;
  status: string;
  found: string[];
  hint: string;
}

const dkimSelectors = (records: Rec[], domain: string) =>
  records
    .filter((r) => r.host.endsWith(`._domainkey.${domain}`))
    .map((r) => r.host.slice(0, r.host.indexOf('.')));

for (const dialect of DIALECTS) {
  describe(`DNS records API on ${dialect}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, {
        clock: () => new Date('2026-11-15T12:00:00Z'),
        dnsSettings: { mailHost: MAIL_HOST, dmarcRua: 'mailto:dmarc@reports.test' },
      });
      await h.verifiedDomain(h.alice, 'example.com');
      await h.request('POST', '/v1/domains/example.com/subdomains', { body: { labels: 'sales' } });
      await h.request('POST', '/v1/domains', { body: { name: 'pending.org' } });
    });
    afterAll(() => h.close());

    const plan = async (name: string): Promise<Rec[]> => {
      const res = await h.request('GET', `/v1/domains/${name}/dns`);
      expect(res.status).toBe(200);
      return res.body.records;
    };
    const zone = (name: string, token = h.alice.token) =>
      h.app.inject({
        method: 'GET',
        url: `/v1/domains/${name}/dns.zone`,
        headers: { authorization: `Bearer ${token}` },
      });
    const policy = (host: string) =>
      h.app.inject({ method: 'GET', url: '/.well-known/mta-sts.txt', headers: { host } });

    it('plans every record a root domain needs, unchecked', async () => {
      const res = await h.request('GET', '/v1/domains/example.com/dns');
      expect(res.status).toBe(200);
      expect(res.body.checkedAt).toBeNull();
      const records: Rec[] = res.body.records;
      expect(records.map((r) => `${r.type} ${r.host}`)).toEqual([
        'TXT _mailwright.example.com',
        'MX example.com',
        'TXT example.com',
        'TXT mw202611._domainkey.example.com',
        'TXT _dmarc.example.com',
        'TXT _mta-sts.example.com',
        'CNAME mta-sts.example.com',
        'TXT _smtp._tls.example.com',
        'SRV _imaps._tcp.example.com',
        'SRV _submission._tcp.example.com',
      ]);
      const value = (host: string, type = 'TXT') =>
        records.find((r) => r.host === host && r.type === type)?.value;
      expect(value('example.com', 'MX')).toBe(`10 ${MAIL_HOST}.`);
      expect(value('example.com')).toBe('v=spf1 mx -all');
      expect(value('mw202611._domainkey.example.com')).toMatch(
        /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+=*$/,
      );
      expect(value('_dmarc.example.com')).toBe(
        'v=DMARC1; p=quarantine; sp=quarantine; rua=mailto:dmarc@reports.test',
      );
      expect(value('_imaps._tcp.example.com', 'SRV')).toBe(`0 1 993 ${MAIL_HOST}.`);
      expect(value('_submission._tcp.example.com', 'SRV')).toBe(`0 1 587 ${MAIL_HOST}.`);
      for (const r of records) {
        expect(r).toMatchObject({ ttl: 3600, status: 'unchecked', found: [], hint: '' });
        expect(r.purpose).toMatch(/^Without/);
      }
    });

    it('looks the records up live with check=true', async () => {
      const res = await h.request('GET', '/v1/domains/example.com/dns?check=true');
      expect(res.status).toBe(200);
      expect(res.body.checkedAt).toBe('2026-11-15T12:00:00.000Z');
      const [ownership, mx] = res.body.records as Rec[];
      // The test DNS server holds only the ownership record the harness published.
      expect(ownership).toMatchObject({ status: 'ok', hint: '' });
      expect(ownership!.found).toContain(ownership!.value);
      expect(mx).toMatchObject({ type: 'MX', status: 'missing', found: [] });
      expect(mx!.hint).toContain(MAIL_HOST);
    });

    it('refuses to publish with 409 dns_provider_not_configured when no DNS host is set', async () => {
      const res = await h.request('POST', '/v1/domains/example.com/dns/publish');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('dns_provider_not_configured');
      expect(res.body.detail).toContain('MAILWRIGHT_DNS_PROVIDER');
    });

    it('shows readiness from the last check on the domain itself', async () => {
      const fresh = (await h.request('POST', '/v1/domains', { body: { name: 'ready.org' } })).body;
      expect(fresh.dns).toEqual({ ready: false, checkedAt: null, failing: [] });

      await h.request('GET', '/v1/domains/ready.org/dns?check=true');
      const partial = (await h.request('GET', '/v1/domains/ready.org')).body;
      expect(partial.dns.ready).toBe(false);
      expect(partial.dns.checkedAt).not.toBeNull();
      expect(partial.dns.failing).toContainEqual(
        expect.objectContaining({ type: 'MX', host: 'ready.org', status: 'missing' }),
      );

      h.dns.publish(await plan('ready.org'));
      await h.request('GET', '/v1/domains/ready.org/dns?check=true');
      expect((await h.request('GET', '/v1/domains/ready.org')).body.dns).toMatchObject({
        ready: true,
        failing: [],
      });
    });

    it('plans a sub-domain under its own name, with its own DKIM key and DMARC record', async () => {
      const records = await plan('sales.example.com');
      expect(new Set(records.map((r) => r.type))).toEqual(new Set(['TXT', 'MX', 'SRV', 'CNAME']));
      expect(records[0]!.host).toBe('_mailwright.example.com');
      for (const r of records.slice(1)) expect(r.host).toMatch(/(^|\.)sales\.example\.com$/);
      expect(records.find((r) => r.host === '_dmarc.sales.example.com')?.value).toBe(
        'v=DMARC1; p=quarantine; rua=mailto:dmarc@reports.test',
      );
      const own = records.find((r) => r.host === 'mw202611._domainkey.sales.example.com');
      const root = (await plan('example.com')).find((r) => r.host.includes('_domainkey'));
      expect(own?.value).toMatch(/^v=DKIM1; k=rsa; p=/);
      expect(own?.value).not.toBe(root?.value);
    });

    it('keeps the private keys sealed under the server key, never in the clear', async () => {
      const rows = await h.ctx.store.db.selectFrom('dkim_keys').selectAll().execute();
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const row of rows) {
        expect(row.sealed_private_key).toMatch(/^v1\./);
        expect(row.sealed_private_key).not.toContain('PRIVATE KEY');
        const pem = h.ctx.secrets.cipher.decrypt(row.sealed_private_key);
        const publicDer = createPublicKey(createPrivateKey(pem)).export({
          type: 'spki',
          format: 'der',
        });
        expect(publicDer.toString('base64')).toBe(row.public_key);
      }
    });

    it('answers the same records as a BIND zone fragment', async () => {
      const res = await zone('example.com');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const text = res.body;
      expect(text).toMatch(/^; DNS records Mailwright needs for example.com\n\$TTL 3600\n/);
      expect(text).toContain(`\nexample.com. 3600 IN MX 10 ${MAIL_HOST}.\n`);
      expect(text).toContain('\nexample.com. 3600 IN TXT "v=spf1 mx -all"\n');
      expect(text).toContain(`\nmta-sts.example.com. 3600 IN CNAME ${MAIL_HOST}.\n`);
      // A 2048-bit key is longer than one TXT string may be.
      expect(text).toMatch(
        /\nmw202611\._domainkey\.example\.com\. 3600 IN TXT "v=DKIM1; k=rsa; p=[^"]{237}" "[^"]+"\n/,
      );
      const records = await plan('example.com');
      expect(text.match(/^; Without/gm)).toHaveLength(records.length);
    });

    it('rotates to a new selector and keeps the old one published until it is retired', async () => {
      const res = await h.request('POST', '/v1/domains/example.com/dkim/rotate');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ selector: 'mw202611b', algorithm: 'rsa' });
      expect(dkimSelectors(res.body.records, 'example.com')).toEqual(['mw202611', 'mw202611b']);
      expect(dkimSelectors(await plan('example.com'), 'example.com')).toEqual([
        'mw202611',
        'mw202611b',
      ]);

      const ed = await h.request('POST', '/v1/domains/example.com/dkim/rotate', {
        body: { algorithm: 'ed25519' },
      });
      expect(ed.status).toBe(201);
      expect(ed.body.selector).toBe('mw202611e');
      const edValue = ed.body.records.find((r: Rec) => r.host.startsWith('mw202611e.'))?.value;
      expect(Buffer.from(edValue.split('p=')[1], 'base64')).toHaveLength(32);
      expect(edValue).toMatch(/^v=DKIM1; k=ed25519; p=/);

      const retired = await h.request('POST', '/v1/domains/example.com/dkim/retire', {
        body: { selector: 'mw202611' },
      });
      expect(retired.status).toBe(200);
      expect(dkimSelectors(retired.body.records, 'example.com')).toEqual([
        'mw202611b',
        'mw202611e',
      ]);
      const again = await h.request('POST', '/v1/domains/example.com/dkim/retire', {
        body: { selector: 'mw202611' },
      });
      expect(again.status).toBe(200);
      // A retired selector's name is never handed out again.
      const next = await h.request('POST', '/v1/domains/example.com/dkim/rotate', { body: {} });
      expect(next.body.selector).toBe('mw202611c');
    });

    it('refuses to retire the last RSA selector and names an unknown one', async () => {
      const last = await h.request('POST', '/v1/domains/sales.example.com/dkim/retire', {
        body: { selector: 'mw202611' },
      });
      expect(last.status).toBe(409);
      expect(last.body.code).toBe('last_dkim_key');
      const unknown = await h.request('POST', '/v1/domains/sales.example.com/dkim/retire', {
        body: { selector: 'nope' },
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('dkim_selector_not_found');
    });

    it('refuses an unknown DKIM algorithm', async () => {
      const res = await h.request('POST', '/v1/domains/example.com/dkim/rotate', {
        body: { algorithm: 'dsa' },
      });
      expect(res.status).toBe(422);
    });

    it('gives a domain added before DKIM existed its key on first request', async () => {
      const domain = await h.request('GET', '/v1/domains/pending.org');
      await h.ctx.store.db
        .deleteFrom('dkim_keys')
        .where('domain_id', '=', domain.body.id)
        .execute();
      expect(dkimSelectors(await plan('pending.org'), 'pending.org')).toEqual(['mw202611']);
      expect(dkimSelectors(await plan('pending.org'), 'pending.org')).toEqual(['mw202611']);
    });

    it('serves the MTA-STS policy without a token for a verified domain only', async () => {
      for (const host of ['mta-sts.example.com', 'MTA-STS.sales.example.com:443']) {
        const res = await policy(host);
        expect(res.statusCode, host).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.body).toBe(`version: STSv1\nmode: testing\nmx: ${MAIL_HOST}\nmax_age: 86400\n`);
      }
      for (const host of ['mta-sts.pending.org', 'mta-sts.unknown.net', 'example.com']) {
        const res = await policy(host);
        expect(res.statusCode, host).toBe(404);
        expect(res.json().code).toBe('mta_sts_policy_not_found');
      }
    });

    it('deletes the keys with their domain', async () => {
      await h.request('POST', '/v1/domains', { body: { name: 'short-lived.net' } });
      const { id } = (await h.request('GET', '/v1/domains/short-lived.net')).body;
      const keys = () =>
        h.ctx.store.db.selectFrom('dkim_keys').select('id').where('domain_id', '=', id).execute();
      expect(await keys()).toHaveLength(1);
      expect((await h.request('DELETE', '/v1/domains/short-lived.net')).status).toBe(204);
      expect(await keys()).toHaveLength(0);
    });

    it("treats another account's domain as not found", async () => {
      const bob = { token: h.bob.token };
      expect((await h.request('GET', '/v1/domains/example.com/dns', bob)).status).toBe(404);
      expect((await zone('example.com', h.bob.token)).statusCode).toBe(404);
      const rotate = await h.request('POST', '/v1/domains/example.com/dkim/rotate', bob);
      expect(rotate.status).toBe(404);
      const retire = await h.request('POST', '/v1/domains/example.com/dkim/retire', {
        ...bob,
        body: { selector: 'mw202611b' },
      });
      expect(retire.status).toBe(404);
    });

    it('requires a token for the records', async () => {
      const res = await h.request('GET', '/v1/domains/example.com/dns', { token: null });
      expect(res.status).toBe(401);
    });
  });
}
