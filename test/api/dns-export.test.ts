import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

/** Many domains' records in one download: a zone file per domain and one CSV of them all. */
for (const dialect of DIALECTS) {
  describe(`DNS export of many domains on ${dialect}`, () => {
    let h: Harness;
    const download = (path: string) =>
      h.app.inject({
        method: 'GET',
        url: path,
        headers: { authorization: `Bearer ${h.alice.token}` },
      });

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.request('POST', '/v1/domains/batch', { body: { names: 'one.com\ntwo.com' } });
      await h.verifiedDomain(h.alice, 'three.com');
      await h.request('POST', '/v1/domains/three.com/subdomains', { body: { labels: 'mail' } });
      await h.verifiedDomain(h.bob, 'bobs.com');
    });
    afterAll(() => h.close());

    it("zips every domain's zone file, as the single export writes it, and records.csv", async () => {
      const res = await download('/v1/domains/dns/export.zip');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toContain('mailwright-dns.zip');
      const files = unzipSync(new Uint8Array(res.rawPayload));
      const names = ['mail.three.com', 'one.com', 'three.com', 'two.com'];
      expect(Object.keys(files).sort()).toEqual([
        'records.csv',
        ...names.map((n) => `zones/${n}.zone`),
      ]);
      let records = 0;
      for (const name of names) {
        const zone = await download(`/v1/domains/${name}/dns.zone`);
        expect(strFromU8(files[`zones/${name}.zone`]!)).toBe(zone.body);
        records += (await h.request('GET', `/v1/domains/${name}/dns`)).body.records.length;
      }
      const rows = parse(strFromU8(files['records.csv']!), { columns: true }) as Record<
        string,
        string
      >[];
      expect(rows).toHaveLength(records);
      expect(new Set(rows.map((r) => r.domain))).toEqual(new Set(names));
      const mx = rows.find((r) => r.domain === 'one.com' && r.type === 'MX')!;
      expect(mx).toMatchObject({ host: 'one.com', ttl: '3600' });
      expect(mx.value).toMatch(/^10 .+\.$/);
    });

    it('exports only the listed domains as CSV, and never another account’s', async () => {
      const res = await download('/v1/domains/dns/records.csv?names=two.com,one.com');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const rows = parse(res.body, { columns: true }) as { domain: string }[];
      expect(new Set(rows.map((r) => r.domain))).toEqual(new Set(['one.com', 'two.com']));

      const foreign = await download('/v1/domains/dns/records.csv?names=one.com,bobs.com');
      expect(foreign.statusCode).toBe(422);
      const body = JSON.parse(foreign.body);
      expect(body.errors[0]).toMatchObject({ field: 'names.1', code: 'domain_not_found' });
    });
  });
}
