import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { addressesOn, call, parseCsv, rowCounts, runJobs, setLimits } from './bulk-support.js';

const importCsv = (h: Harness, body: string, token?: string) =>
  call(h, 'POST', '/v1/mailboxes/import', {
    body,
    headers: { 'content-type': 'text/csv' },
    ...(token ? { token } : {}),
  });

for (const dialect of DIALECTS) {
  describe(`CSV mailbox import on ${dialect}`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await h.verifiedDomain(h.alice, 'other.com');
      await h.verifiedDomain(h.bob, 'bob.com');
      await call(h, 'POST', '/v1/domains', { body: { name: 'pending.com' } });
      await setLimits(h, { cooldownThreshold: 10_000 });
    });
    afterAll(() => h.close());

    it('imports the valid rows and reports every bad row with its line number', async () => {
      const file = [
        'name,local_part,domain,quota_mb',
        'Anna Berg,anna,example.com,', // 2: fine, default quota
        'Admin User,boss,example.com,', // 3: a role, not a person
        'Carl Dahl,.carl,example.com,', // 4: bad local part
        'Dora Eck,dora,unknown-domain.com,', // 5: no such domain
        'Anna Berg,ANNA,example.com,', // 6: the address of line 2 again
        'Erik Falk,erik,example.com,2048', // 7: fine
        'Fiona Gale,fiona,bob.com,', // 8: another account's domain
        'Gina Holt,gina,pending.com,', // 9: not verified
        'Hans Ide,hans,example.com,5', // 10: quota out of range
      ].join('\n');
      const res = await importCsv(h, file);
      expect(res.status).toBe(202);
      expect(res.body.job).toMatchObject({
        kind: 'import_mailboxes',
        status: 'queued',
        total: 9,
        failed: 7,
      });

      await runJobs(h);
      expect(await addressesOn(h, 'example.com')).toEqual(['anna@example.com', 'erik@example.com']);
      expect(await addressesOn(h, 'bob.com')).toEqual([]);
      const anna = await call(h, 'GET', '/v1/mailboxes/anna@example.com');
      expect(anna.body).toMatchObject({ name: 'Anna Berg', quotaMb: 1024 });
      expect((await call(h, 'GET', '/v1/mailboxes/erik@example.com')).body.quotaMb).toBe(2048);

      const job = (await call(h, 'GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({
        status: 'succeeded',
        total: 9,
        done: 2,
        failed: 7,
        credentials: 'available',
      });
      const byLine = new Map<number, string>(
        job.errors.map((e: { code: string; message: string }) => [
          Number(/^Line (\d+):/.exec(e.message)?.[1]),
          e.code,
        ]),
      );
      expect(Object.fromEntries(byLine)).toEqual({
        3: 'not_a_person_name',
        4: 'dot_edge',
        5: 'domain_not_found',
        6: 'duplicate',
        8: 'domain_not_found',
        9: 'domain_not_verified',
        10: 'quota_out_of_range',
      });

      const csv = parseCsv(
        (await call(h, 'GET', `/v1/jobs/${res.body.job.id}/credentials.csv`)).text,
      );
      expect(csv.rows.map((r) => r.email)).toEqual(['anna@example.com', 'erik@example.com']);
      for (const row of csv.rows) {
        const hash = (
          await h.ctx.store.db
            .selectFrom('mailboxes')
            .select('password_hash')
            .where('address', '=', row.email!)
            .executeTakeFirstOrThrow()
        ).password_hash;
        expect(await verifyPassword(row.password!, hash)).toBe(true);
      }
    });

    it('reports an address that already exists as a failed row', async () => {
      const res = await importCsv(
        h,
        'name,local_part,domain\nAnna Berg,anna,example.com\nIvo Jahn,ivo,example.com\n',
      );
      expect(res.status).toBe(202);
      await runJobs(h);
      const job = (await call(h, 'GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({ status: 'succeeded', done: 1, failed: 1 });
      expect(job.errors).toEqual([
        expect.objectContaining({
          address: 'anna@example.com',
          code: 'mailbox_exists',
          message: expect.stringMatching(/^Line 2:/),
        }),
      ]);
    });

    it('lists jobs with each one’s own errors, however many jobs on the page failed rows', async () => {
      const { items } = (await call(h, 'GET', '/v1/jobs?limit=100')).body as {
        items: { id: string; failed: number; errors: { address: string }[] }[];
      };
      const withErrors = items.filter((j) => j.failed > 0);
      expect(withErrors.length).toBeGreaterThanOrEqual(2);
      for (const job of items) {
        expect(job.errors).toHaveLength(job.failed);
        expect(job.errors).toEqual((await call(h, 'GET', `/v1/jobs/${job.id}`)).body.errors);
      }
    });

    it('refuses a file of only bad rows with 422 invalid_import listing each line, writing nothing', async () => {
      const before = await rowCounts(h);
      const res = await importCsv(
        h,
        'name,local_part,domain\nAdmin User,boss,example.com\nJo Kim,.jo,example.com\n',
      );
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_import');
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'line 2', code: 'not_a_person_name' }),
        expect.objectContaining({ field: 'line 3', code: 'dot_edge' }),
      ]);
      expect(await rowCounts(h)).toEqual(before);
    });

    it.each([
      [
        'an unknown column',
        'name,local_part,domain,phone\nLea Lind,lea,example.com,123\n',
        'invalid_header',
      ],
      ['a missing column', 'name,domain\nLea Lind,example.com\n', 'invalid_header'],
      ['no header', 'Lea Lind,lea,example.com\n', 'invalid_header'],
      ['an empty file', '', 'empty_import'],
      ['a header only', 'name,local_part,domain\n', 'empty_import'],
      ['an unclosed quote', 'name,local_part,domain\n"Lea Lind,lea,example.com\n', 'malformed_csv'],
    ])('refuses %s with 422 %s, writing nothing', async (_what, body, code) => {
      const before = await rowCounts(h);
      const res = await importCsv(h, body);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe(code);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body', code })]);
      expect(await rowCounts(h)).toEqual(before);
    });

    it('refuses more rows than maxBulkCount, and a file past the slots of a domain', async () => {
      await setLimits(h, { maxBulkCount: 2 });
      const rows = [
        'Lea Lind,lea,example.com',
        'Max Moll,max,example.com',
        'Nina Nord,nina,example.com',
      ];
      const tooMany = await importCsv(h, ['name,local_part,domain', ...rows].join('\n'));
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.code).toBe('too_many_rows');
      await setLimits(h, { maxBulkCount: null });

      // example.com holds 3 of its 10 slots.
      const big = [
        'name,local_part,domain',
        ...'abcdefgh'.split('').map((c) => `Lea Lind,lea.${c},example.com`),
      ].join('\n');
      const before = await rowCounts(h);
      const full = await importCsv(h, big);
      expect(full.status).toBe(422);
      expect(full.body).toMatchObject({
        code: 'limit_exceeded',
        limit: 'maxMailboxesPerDomain',
        usage: 3,
        max: 10,
      });
      expect(await rowCounts(h)).toEqual(before);
    });

    it('counts every row of the file against maxMailboxesPerHour, across hostnames', async () => {
      const usage: number = (await call(h, 'GET', '/v1/limits')).body.usage.mailboxesLastHour;
      await setLimits(h, { maxMailboxesPerHour: usage + 4 });
      const rows = ['one', 'two', 'three'].flatMap((l) => [
        `Lea Lind,lea.${l},example.com`,
        `Lea Lind,lea.${l},other.com`,
      ]);
      const before = await rowCounts(h);
      const res = await importCsv(h, ['name,local_part,domain', ...rows].join('\n'));
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'limit_exceeded',
        limit: 'maxMailboxesPerHour',
        usage,
        max: usage + 4,
      });
      expect(await rowCounts(h)).toEqual(before);

      await setLimits(h, { maxMailboxesPerHour: usage + 6 });
      const accepted = await importCsv(h, ['name,local_part,domain', ...rows].join('\n'));
      expect(accepted.status).toBe(202);
      expect(accepted.body.job.total).toBe(6);
      await setLimits(h, { maxMailboxesPerHour: null });
      await runJobs(h);
      expect(await addressesOn(h, 'other.com')).toHaveLength(3);
    });

    it('needs the text/csv content type', async () => {
      const res = await call(h, 'POST', '/v1/mailboxes/import', {
        body: 'name,local_part,domain\nLea Lind,lea,example.com\n',
        headers: { 'content-type': 'application/xml' },
      });
      expect(res.status).toBe(415);
    });
  });
}
