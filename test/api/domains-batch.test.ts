import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DOMAIN_NAMES } from '../../src/core/limits.js';
import { setLimits } from '../bulk/bulk-support.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

const fleet = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `fleet${from + i}.example`);

for (const dialect of DIALECTS) {
  describe(`POST /v1/domains/batch on ${dialect}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(() => h.close());

    const domainCount = async (token?: string) =>
      (await h.request('GET', '/v1/domains?limit=500', token ? { token } : {})).body.items.length;

    it('adds 50 domains in one request and rejects 3 lines with the single add’s hints', async () => {
      const names = fleet(50);
      const text = [
        ...names.slice(0, 10),
        'https://www.shop.example/',
        ...names.slice(10, 30),
        'Fleet3.EXAMPLE',
        ...names.slice(30),
        'mail.fleet1.example',
      ].join('\r\n');
      const res = await h.request('POST', '/v1/domains/batch', { body: { names: text } });
      expect(res.status).toBe(200);
      expect(res.body.created.map((d: { name: string }) => d.name)).toEqual(names);
      expect(res.body.created[0]).toMatchObject({ kind: 'root', status: 'pending' });
      expect(res.body.rejected).toEqual([
        {
          name: 'https://www.shop.example/',
          code: 'has_scheme',
          message: expect.stringContaining('shop.example'),
        },
        { name: 'Fleet3.EXAMPLE', code: 'duplicate', message: expect.stringContaining('fleet3') },
        {
          name: 'mail.fleet1.example',
          code: expect.any(String),
          message: expect.stringContaining('fleet1.example'),
        },
      ]);
      // The same hint as the single add gives for the same line.
      const single = await h.request('POST', '/v1/domains', {
        body: { name: 'https://www.shop.example/' },
      });
      expect(single.status).toBe(422);
      expect(res.body.rejected[0].message).toBe(single.body.errors[0].message);
      expect(await domainCount()).toBe(50);
    });

    it('stops at maxDomains and reports taken names as the single add does', async () => {
      // Bob has room for 2 more; one of his lines he already has.
      await h.request('POST', '/v1/domains', { token: h.bob.token, body: { name: 'b.example' } });
      await setLimits(h, { maxDomains: 3 }, 'bob');
      const res = await h.request('POST', '/v1/domains/batch', {
        token: h.bob.token,
        body: { names: ['b.example', 'c.example', 'd.example', 'e.example'] },
      });
      expect(res.status).toBe(200);
      expect(res.body.created.map((d: { name: string }) => d.name)).toEqual([
        'c.example',
        'd.example',
      ]);
      expect(
        res.body.rejected.map((r: { name: string; code: string }) => [r.name, r.code]),
      ).toEqual([
        ['b.example', 'domain_exists'],
        ['e.example', 'limit_exceeded'],
      ]);
      expect(res.body.rejected[1].message).toContain('maxDomains is 3');
      // Another account's names were never touched.
      expect(await domainCount(h.bob.token)).toBe(3);
    });

    it.each([
      ['no names', {}, 'names', undefined],
      ['only blank lines', { names: '\n  \n' }, 'names', 'Enter at least one domain'],
      ['a number', { names: 42 }, 'names', undefined],
      [
        '101 names as a list',
        { names: fleet(MAX_DOMAIN_NAMES + 1, 100) },
        'names',
        'Send at most 100',
      ],
      [
        '101 names as lines',
        { names: fleet(MAX_DOMAIN_NAMES + 1, 100).join('\n') },
        'names',
        'Send at most 100',
      ],
      [
        'a text over the cap',
        { names: 'x'.repeat(MAX_DOMAIN_NAMES * 512 + 1) },
        'names',
        'Send at most 100',
      ],
      ['an unknown field', { names: 'ok.example', extra: 1 }, 'extra', undefined],
    ])(
      'refuses %s with a 422 naming the field and writes nothing',
      async (_, body, field, says) => {
        const before = await domainCount();
        const res = await h.request('POST', '/v1/domains/batch', { body });
        expect(res.status).toBe(422);
        const issue = res.body.errors.find((e: { field: string }) => e.field === field);
        expect(issue, JSON.stringify(res.body)).toBeDefined();
        if (says) expect(issue.message).toContain(says);
        expect(await domainCount()).toBe(before);
      },
    );
  });
}
