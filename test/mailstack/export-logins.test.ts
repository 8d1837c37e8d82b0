import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dovecotAuthCacheFlush } from '../../src/mailstack/auth-cache.js';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { call, GENEROUS, parseCsv, runJobs, setLimits } from '../bulk/bulk-support.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { imapLogInWorks } from '../support/imap-login.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const DOMAINS = ['fleet-one.example', 'fleet-two.example'];

/** One login of a credentials CSV row: who and with what. */
interface Login {
  user: string;
  pass: string;
}

/**
 * What issue #15 promises a sending tool: every password in a credentials download logs in over
 * IMAP on the real Dovecot. Mailboxes spread over two domains through the REST API, downloaded as
 * Instantly's file; then exported again (new passwords) and downloaded as Smartlead's: every new
 * password logs in and every old one is refused at once, even right after a cached login.
 */
describe.each(DIALECTS)('credentials downloads against the real mail plane on %s', (dialect) => {
  let h: Harness;
  let stack: MailStack;
  let created: Login[] = [];

  const canLogIn = ({ user, pass }: Login) => imapLogInWorks(stack, user, pass);

  /** The job's one-time credentials in `format`, as the logins its rows hold. */
  const download = async (
    jobId: string,
    format: string,
    columns: { user: string; pass: string },
  ): Promise<Login[]> => {
    const res = await call(h, 'GET', `/v1/jobs/${jobId}/credentials.csv?format=${format}`);
    expect(res.status, res.text).toBe(200);
    const { header, rows } = parseCsv(res.text);
    expect(header).toEqual(expect.arrayContaining([columns.user, columns.pass]));
    return rows.map((row) => ({ user: row[columns.user]!, pass: row[columns.pass]! }));
  };

  const finishedJob = async (jobId: string) => {
    await runJobs(h);
    const job = (await call(h, 'GET', `/v1/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ status: 'succeeded', failed: 0 });
    return job;
  };

  beforeAll(async () => {
    h = await startHarness(dialect);
    await setLimits(h, GENEROUS);
    for (const domain of DOMAINS) await h.verifiedDomain(h.alice, domain);
    stack = await startMailStack(h.url, `mx.${DOMAINS[0]}`);
    h.ctx.mailPlane = { flushAuth: dovecotAuthCacheFlush(dovecotConfigFile(stack.settings)) };
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await h?.close();
  }, 60_000);

  it('logs in with every row of an Instantly download of mailboxes spread over two domains', async () => {
    const res = await call(h, 'POST', '/v1/mailboxes', {
      body: {
        mode: 'spread',
        domains: DOMAINS,
        personas: [{ name: 'Josh Smith' }, { name: 'Ada Berg' }],
        perDomain: 2,
        password: { generate: true },
      },
    });
    expect(res.status, res.text).toBe(202);
    const job = await finishedJob(res.body.job.id);
    created = await download(job.id, 'instantly', {
      user: 'IMAP Username',
      pass: 'IMAP Password',
    });
    expect(created).toHaveLength(4);
    expect(new Set(created.map((l) => l.user.split('@')[1]))).toEqual(new Set(DOMAINS));
    for (const login of created) {
      expect(await canLogIn(login), `${login.user}\n${stack.logs()}`).toBe(true);
      // The second success comes from Dovecot's auth cache, which the export must flush.
      expect(await canLogIn(login), login.user).toBe(true);
    }
  }, 60_000);

  it('logs in with every new password of a Smartlead export and refuses every old one', async () => {
    expect(created).toHaveLength(4);
    const res = await call(h, 'POST', '/v1/mailboxes/export', { body: { domains: DOMAINS } });
    expect(res.status, res.text).toBe(202);
    expect(res.body.job).toMatchObject({ kind: 'export_mailboxes', total: created.length });
    const job = await finishedJob(res.body.job.id);
    const exported = await download(job.id, 'smartlead', {
      user: 'imap_user_name',
      pass: 'imap_password',
    });
    expect(exported.map((l) => l.user).sort()).toEqual(created.map((l) => l.user).sort());
    for (const login of exported) {
      expect(await canLogIn(login), `${login.user}\n${stack.logs()}`).toBe(true);
    }
    // Each refusal waits out Dovecot's auth_failure_delay.
    for (const old of created) expect(await canLogIn(old), old.user).toBe(false);
  }, 120_000);
});
