import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsColumns } from '../../src/core/credentials-csv.js';
import { createApiToken } from '../../src/services/auth/create-api-token.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { bulk, call, GENEROUS, parseCsv, runJobs, setLimits } from './bulk-support.js';

/** `?format=` picks the columns; the download stays one download, whichever format asks first. */
for (const dialect of DIALECTS) {
  describe(`credentials formats on ${dialect}`, () => {
    let h: Harness;
    let names = 0;
    const finishedJob = async (): Promise<string> => {
      const first = ['Anna', 'Bert', 'Cleo', 'Dirk', 'Ella'][names++]!;
      const res = await call(h, 'POST', '/v1/mailboxes', {
        body: bulk({ count: 2, name: `${first} Lund`, quotaMb: 10 }),
      });
      expect(res.status, res.text).toBe(202);
      await runJobs(h);
      return res.body.job.id;
    };

    beforeAll(async () => {
      h = await startHarness(dialect);
      await h.verifiedDomain(h.alice, 'example.com');
      await setLimits(h, GENEROUS);
    });
    afterAll(() => h.close());

    it.each(['instantly', 'smartlead', 'emailbison'] as const)(
      'answers the %s columns with the same logins',
      async (format) => {
        const id = await finishedJob();
        const res = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv?format=${format}`);
        expect(res.status, res.text).toBe(200);
        expect(res.headers['content-disposition']).toBe(
          `attachment; filename="mailwright-credentials-${id}-${format}.csv"`,
        );
        const { header, rows } = parseCsv(res.text);
        expect(header).toEqual(credentialsColumns(format));
        expect(rows).toHaveLength(2);
        const email = format === 'smartlead' ? 'from_email' : 'Email';
        const password = {
          instantly: 'SMTP Password',
          smartlead: 'password',
          emailbison: 'Password',
        }[format];
        for (const row of rows) {
          expect(row[email]).toMatch(/@example\.com$/);
          expect(row[password]).toMatch(/^[A-Za-z0-9]{12,}$/);
        }
        if (format === 'emailbison') return;
        const imapPassword = format === 'instantly' ? 'IMAP Password' : 'imap_password';
        expect(rows.map((r) => r[imapPassword])).toEqual(rows.map((r) => r[password]));
      },
    );

    it("fills the daily limit and warm-up columns from each mailbox's sending policy", async () => {
      const id = await finishedJob();
      const csv = parseCsv(
        (await call(h, 'GET', `/v1/jobs/${id}/credentials.csv?format=generic`)).text,
      );
      const [ramped, plain] = csv.rows.map((r) => r.email!);
      // Today's allowance of a ramp started today is its start; a mailbox without one, its limit.
      const patched = await call(h, 'PATCH', `/v1/mailboxes/${ramped}`, {
        body: { sending: { dailyLimit: 60, warmup: { start: 10, increment: 4, max: 50 } } },
      });
      expect(patched.status, patched.text).toBe(200);
      const again = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv?format=instantly`);
      const byEmail = new Map(parseCsv(again.text).rows.map((r) => [r.Email, r]));
      expect(byEmail.get(ramped)).toMatchObject({
        'Daily Limit': '10',
        'Warmup Enabled': 'TRUE',
        'Warmup Limit': '50',
        'Warmup Increment': '4',
      });
      expect(byEmail.get(plain)).toMatchObject({
        'Daily Limit': csv.rows[1]!.daily_limit,
        'Warmup Enabled': 'FALSE',
        'Warmup Limit': '',
      });
      expect(Number(csv.rows[1]!.daily_limit)).toBeGreaterThan(0);
    });

    it('keeps one download across formats: a retry in another format, never another holder', async () => {
      const id = await finishedJob();
      const first = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv?format=smartlead`);
      expect(first.status).toBe(200);
      // The same token within the retry window may ask again, in another layout.
      const again = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv`);
      expect(again.status).toBe(200);
      const logins = (text: string, email: string, password: string) =>
        parseCsv(text)
          .rows.map((r) => `${r[email]} ${r[password]}`)
          .sort();
      expect(logins(again.text, 'email', 'password')).toEqual(
        logins(first.text, 'from_email', 'password'),
      );
      const other = (await createApiToken(h.ctx, { account: 'alice', actor: 'test' })).token;
      const refused = await call(h, 'GET', `/v1/jobs/${id}/credentials.csv?format=instantly`, {
        token: other,
      });
      expect(refused.status).toBe(410);
      expect(refused.body.code).toBe('credentials_already_downloaded');
    });

    it('refuses an unknown format with a 422 naming it, and downloads nothing', async () => {
      const id = await finishedJob();
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await h.app.inject({
          method,
          url: `/v1/jobs/${id}/credentials.csv?format=mailchimp`,
          headers: { authorization: `Bearer ${h.alice.token}` },
        });
        expect(res.statusCode).toBe(422);
        if (method === 'GET') {
          const body = JSON.parse(res.body);
          expect(body.errors[0].field).toBe('format');
          expect(body.errors[0].message).toContain('generic');
        }
      }
      const job = await call(h, 'GET', `/v1/jobs/${id}`);
      expect(job.body.credentials).toBe('available');
    });
  });
}
