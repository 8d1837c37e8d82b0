import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { findMailbox } from '../../src/store/mailboxes.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bulk, call, GENEROUS, parseCsv, runJobs, setLimits } from './bulk-support.js';

/** Existing mailboxes exported into a sending tool: new passwords, one job, one download. */
for (const dialect of DIALECTS) {
  describe(`export of existing mailboxes on ${dialect}`, () => {
    let h: Harness;
    const flushed: string[] = [];
    const addressesOn = async (domain: string): Promise<string[]> =>
      (await call(h, 'GET', `/v1/mailboxes?domain=${domain}`)).body.items.map(
        (m: { address: string }) => m.address,
      );
    const hashOf = async (address: string) =>
      (await findMailbox(h.ctx.store.db, h.alice.actor.accountId, address))!.password_hash;

    beforeAll(async () => {
      h = await startHarness(dialect);
      h.ctx.mailPlane = { flushAuth: async (addresses) => void flushed.push(...addresses) };
      await setLimits(h, GENEROUS);
      for (const domain of ['one.com', 'two.com', 'three.com']) {
        await h.verifiedDomain(h.alice, domain);
        const res = await call(h, 'POST', '/v1/mailboxes', {
          body: bulk({ domain, count: 3, name: 'Ada Berg' }),
        });
        expect(res.status, res.text).toBe(202);
      }
      await runJobs(h);
      await h.verifiedDomain(h.bob, 'bobs.com');
    });
    afterAll(() => h.close());

    it('previews how many mailboxes get new passwords, and changes nothing', async () => {
      const [first] = await addressesOn('one.com');
      const before = await hashOf(first!);
      const res = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { domains: ['one.com', 'two.com'], dryRun: true },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.preview).toMatchObject({ mailboxes: 6, domains: 2 });
      expect(res.body.preview.warning).toContain('6 mailboxes will get a new password');
      expect(res.body.preview.warning).toContain('must be updated');
      expect(await hashOf(first!)).toBe(before);
      expect((await call(h, 'GET', '/v1/jobs')).body.items).toHaveLength(3);
    });

    it('issues new passwords in a job whose one-time CSV logs each mailbox in', async () => {
      const exported = [...(await addressesOn('two.com')), ...(await addressesOn('three.com'))];
      expect(exported).toHaveLength(6);
      const old = await hashOf(exported[0]!);
      flushed.length = 0;
      const res = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { domains: ['two.com', 'three.com'] },
      });
      expect(res.status, res.text).toBe(202);
      expect(res.body.job).toMatchObject({ kind: 'export_mailboxes', total: 6 });
      await runJobs(h);
      const job = (await call(h, 'GET', `/v1/jobs/${res.body.job.id}`)).body;
      expect(job).toMatchObject({ status: 'succeeded', done: 6, failed: 0 });

      const csv = await call(h, 'GET', `/v1/jobs/${job.id}/credentials.csv?format=emailbison`);
      expect(csv.status).toBe(200);
      const { rows } = parseCsv(csv.text);
      expect(rows.map((r) => r.Email).sort()).toEqual(exported.sort());
      for (const row of rows) {
        expect(await verifyPassword(row.Password!, await hashOf(row.Email!)), row.Email).toBe(true);
        expect(row['Daily Limit']).toMatch(/^\d+$/);
      }
      expect(await hashOf(exported[0]!)).not.toBe(old);
      expect(new Set(flushed)).toEqual(new Set(rows.map((r) => r.Email)));
      const again = await call(h, 'GET', `/v1/jobs/${job.id}/credentials.csv`, {
        token: h.bob.token,
      });
      expect(again.status).toBe(404);
    });

    it('exports all mailboxes created after a time, and refuses a bad selection', async () => {
      const later = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { all: true, createdAfter: '2999-01-01', dryRun: true },
      });
      expect(later.body.preview.mailboxes).toBe(0);
      const all = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { all: true, createdAfter: '2000-01-01T00:00:00Z', dryRun: true },
      });
      expect(all.body.preview).toMatchObject({ mailboxes: 9, domains: 3 });
      const none = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { all: true, createdAfter: '2999-01-01' },
      });
      expect(none.status).toBe(409);
      expect(none.body.code).toBe('nothing_to_export');

      const bad = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { domains: ['bobs.com'], createdAfter: 'yesterday' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['createdAfter']);
      const foreign = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { domains: ['bobs.com'] },
      });
      expect(foreign.status).toBe(422);
      expect(foreign.body.errors[0]).toMatchObject({
        field: 'domains.0',
        code: 'domain_not_found',
      });
      const both = await call(h, 'POST', '/v1/mailboxes/export', {
        body: { domains: ['one.com'], all: true },
      });
      expect(both.status).toBe(422);
    });
  });
}
