import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

for (const dialect of DIALECTS) {
  describe(`sub-domains API on ${dialect}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.request('POST', '/v1/domains', { body: { name: 'example.com' } });
    });
    afterAll(() => h.close());

    it('creates each label as its own hostname with its own result', async () => {
      const res = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: ' Sales \r\nsupport\n\nbad.label\n-edge\nsales\nb_ad\n' + 'x'.repeat(64) },
      });
      expect(res.status).toBe(200);
      expect(res.body.created.map((d: { name: string }) => d.name)).toEqual([
        'sales.example.com',
        'support.example.com',
      ]);
      expect(res.body.created[0]).toMatchObject({
        kind: 'subdomain',
        parent: 'example.com',
        status: 'pending',
      });
      const reasons = Object.fromEntries(
        res.body.rejected.map((r: { label: string; code: string }) => [r.label, r.code]),
      );
      expect(reasons).toEqual({
        'bad.label': 'contains_dot',
        '-edge': 'hyphen_edge',
        sales: 'duplicate',
        b_ad: 'invalid_character',
        ['x'.repeat(64)]: 'too_long',
      });
      for (const r of res.body.rejected) expect(r.message.length).toBeGreaterThan(10);
    });

    it('reports a label that already exists as exists', async () => {
      const res = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: ['sales', 'new'] },
      });
      expect(res.body.rejected).toEqual([
        expect.objectContaining({ label: 'sales', code: 'exists' }),
      ]);
      expect(res.body.created.map((d: { name: string }) => d.name)).toEqual(['new.example.com']);
    });

    it('sub-domains inherit verification from their parent', async () => {
      const root = await h.request('GET', '/v1/domains/example.com');
      h.dns.setTxt(root.body.verification.host, [root.body.verification.value]);
      const verified = await h.request('POST', '/v1/domains/sales.example.com/verify');
      expect(verified.status).toBe(200);
      expect(verified.body.status).toBe('verified');
      expect((await h.request('GET', '/v1/domains/example.com')).body.status).toBe('verified');
      const later = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: 'later' },
      });
      expect(later.body.created[0].status).toBe('verified');
    });

    it("reserves the labels the root's own records use, with a hint", async () => {
      const res = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: ['mta-sts', '_dmarc', 'mta-sts2'] },
      });
      expect(res.status).toBe(200);
      expect(res.body.rejected).toEqual([
        expect.objectContaining({ label: 'mta-sts', code: 'reserved_label' }),
        expect.objectContaining({ label: '_dmarc', code: 'reserved_label' }),
      ]);
      expect(res.body.rejected[0].message).toContain('for example mta-sts-mail');
      expect(res.body.created.map((d: { name: string }) => d.name)).toEqual([
        'mta-sts2.example.com',
      ]);
    });

    it('refuses to nest a sub-domain under a sub-domain', async () => {
      const res = await h.request('POST', '/v1/domains/sales.example.com/subdomains', {
        body: { labels: 'deep' },
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('parent_not_root');
    });

    it("treats another account's parent as not found", async () => {
      const res = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: 'x' },
        token: h.bob.token,
      });
      expect(res.status).toBe(404);
    });

    it('rejects an empty label list', async () => {
      const res = await h.request('POST', '/v1/domains/example.com/subdomains', {
        body: { labels: '\n \n' },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toMatchObject({ field: 'labels', code: 'required' });
    });
  });
}
