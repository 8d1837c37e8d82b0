import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bulk, call, rowCounts } from './bulk-support.js';

for (const dialect of DIALECTS) {
  describe(`bulk requests with bad input on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.bob, 'bob.com');
      await call(h, 'POST', '/v1/domains', { body: { name: 'pending.com' } });
    });
    afterAll(() => h.close());

    it.each([
      [{ count: 0 }, 'count', 'count_out_of_range'],
      [{ count: -3 }, 'count', 'count_out_of_range'],
      [{ count: 2.5 }, 'count', 'count_out_of_range'],
      [{ password: { generate: false } }, 'password.value', 'password_required'],
      [{ password: { generate: false, value: '' } }, 'password.value', 'password_required'],
      [{ password: { generate: false, value: 'password1234' } }, 'password.value', 'password_weak'],
      [{ password: { generate: false, value: 'short' } }, 'password.value', 'password_too_short'],
      // Spreadsheets would run it as a formula in the credentials download.
      [
        { password: { generate: false, value: '=HYPERLINK("x")+correct-horse-battery' } },
        'password.value',
        'password_formula_start',
      ],
      [{ name: 'Admin' }, 'name', 'not_full_name'],
      [{ name: 'Admin User' }, 'name', 'not_a_person_name'],
      [{ quotaMb: 5 }, 'quotaMb', 'quota_out_of_range'],
      [{ count: 11 }, 'count', 'limit_exceeded'],
    ])(
      'refuses %j with 422 %s %s, as a dry run too, writing nothing',
      async (override, field, code) => {
        const before = await rowCounts(h);
        for (const dryRun of [false, true]) {
          const res = await call(h, 'POST', '/v1/mailboxes', {
            body: bulk({ ...override, dryRun }),
          });
          expect(res.status).toBe(422);
          expect(res.body.errors).toEqual(
            expect.arrayContaining([expect.objectContaining({ field, code })]),
          );
        }
        expect(await rowCounts(h)).toEqual(before);
      },
    );

    it('reports every bad field at once', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ name: 'Test', count: 0, quotaMb: 1, password: { generate: false } }),
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'count',
        'name',
        'password.value',
        'quotaMb',
      ]);
    });

    it('refuses a pending domain with 409 domain_not_verified', async () => {
      const before = await rowCounts(h);
      const res = await call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain: 'pending.com' }) });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('domain_not_verified');
      expect(res.body.detail).toMatch(/TXT/);
      const dry = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ domain: 'pending.com', dryRun: true }),
      });
      expect(dry.status).toBe(409);
      expect(await rowCounts(h)).toEqual(before);
    });

    it("refuses an unknown domain and another account's domain as not found", async () => {
      for (const domain of ['nowhere.com', 'bob.com']) {
        const res = await call(h, 'POST', '/v1/mailboxes', { body: bulk({ domain }) });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('domain_not_found');
      }
    });

    it('refuses a job id that does not exist with 404', async () => {
      for (const url of [
        '/v1/jobs/nope',
        '/v1/jobs/00000000-0000-0000-0000-000000000000',
        '/v1/jobs/nope/credentials.csv',
      ]) {
        const res = await call(h, 'GET', url);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('job_not_found');
      }
      expect((await call(h, 'GET', '/v1/jobs?status=done')).status).toBe(422);
      expect((await call(h, 'GET', '/v1/jobs?cursor=garbage')).status).toBe(422);
    });

    it('never answers malformed bulk input with a 5xx', async () => {
      const bodies: unknown[] = [
        bulk({ count: 'ten' }),
        bulk({ count: null }),
        bulk({ count: 1e12 }),
        bulk({ count: Number.MAX_SAFE_INTEGER }),
        bulk({ name: '' }),
        bulk({ name: 'x'.repeat(5000) }),
        bulk({ name: '\u0000\u202e Josh Smith' }),
        bulk({ name: '💥 💥' }),
        bulk({ domain: '' }),
        bulk({ domain: 'https://example.com/x' }),
        bulk({ domain: 'xn--' }),
        bulk({ domain: '.' }),
        bulk({ password: 'secret' }),
        bulk({ password: { generate: false, value: 'x'.repeat(10_000) } }),
        bulk({ quotaMb: -1 }),
        bulk({ quotaMb: 1e300 }),
        bulk({ stages: { size: 1e9, intervalMinutes: 1e9 } }),
        bulk({ stages: { size: -1, intervalMinutes: -1 } }),
        bulk({ stages: null }),
        bulk({ dryRun: 'yes' }),
        { mode: 'bulk' },
        { mode: 'bulk', name: 'Josh Smith', domain: 'example.com', count: 2 },
        [],
        'count=2',
      ];
      const before = await rowCounts(h);
      for (const body of bodies) {
        const res = await call(h, 'POST', '/v1/mailboxes', { body: body as object });
        expect(res.status, JSON.stringify(body).slice(0, 100)).toBeGreaterThanOrEqual(400);
        expect(res.status, JSON.stringify(body).slice(0, 100)).toBeLessThan(500);
        expect(res.body.code).toEqual(expect.any(String));
      }
      const longKey = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk(),
        headers: { 'idempotency-key': 'k'.repeat(201) },
      });
      expect(longKey.status).toBe(422);
      expect(await rowCounts(h)).toEqual(before);
    });

    it('never answers malformed delete or import input with a 5xx', async () => {
      const requests: [string, unknown, Record<string, string>?][] = [
        ['/v1/domains/bulk-delete', { names: 'example.com' }],
        ['/v1/domains/bulk-delete', { names: [''] }],
        ['/v1/domains/bulk-delete', { names: ['https://example.com/'] }],
        ['/v1/domains/bulk-delete', { names: [] }],
        ['/v1/domains/bulk-delete', { names: ['example.com'], cascade: 'yes' }],
        ['/v1/mailboxes/bulk-delete', { addresses: [''] }],
        ['/v1/mailboxes/bulk-delete', { addresses: ['not-an-address'] }],
        ['/v1/mailboxes/bulk-delete', { addresses: [42] }],
        ['/v1/mailboxes/import', '\u0000\u0001\u0002', { 'content-type': 'text/csv' }],
        [
          '/v1/mailboxes/import',
          'name,local_part,domain\n"a,"b",c\n',
          { 'content-type': 'text/csv' },
        ],
        [
          '/v1/mailboxes/import',
          'name,local_part,domain\nJosh Smith,josh\n',
          { 'content-type': 'text/csv' },
        ],
        [
          '/v1/mailboxes/import',
          'name,local_part,domain,quota_mb\nJosh Smith,josh,example.com,1e3\n',
          { 'content-type': 'text/csv' },
        ],
        ['/v1/mailboxes/import', 'name,name\nJosh,Josh\n', { 'content-type': 'text/csv' }],
        ['/v1/mailboxes/import', { csv: 'x' }],
      ];
      const before = await rowCounts(h);
      for (const [url, body, headers] of requests) {
        const res = await call(h, 'POST', url, {
          body: body as object,
          ...(headers ? { headers } : {}),
        });
        expect(res.status, `${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${url} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
      expect(await rowCounts(h)).toEqual(before);
    });
  });
}
