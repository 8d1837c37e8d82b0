import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_FORMATS, type CredentialsFormat } from '../../src/core/credentials-formats.js';
import { createRfc2136Provider } from '../../src/dns/providers/rfc2136.js';
import { createRecordChecker } from '../../src/dns/record-checker.js';
import { createTxtResolver } from '../../src/dns/txt-resolver.js';
import { dovecotAuthCacheFlush } from '../../src/mailstack/auth-cache.js';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { call, GENEROUS, parseCsv, runJobs, setLimits } from '../bulk/bulk-support.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startKnot, type KnotServer } from '../support/knot-server.js';
import { imapLogInWorks } from '../support/imap-login.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

/** The fleet of issue #15's acceptance: 50 domains, 3 personas on each. */
const DOMAINS = Array.from({ length: 50 }, (_, i) => `fleet${String(i).padStart(2, '0')}.example`);
const PERSONAS = [{ name: 'Josh Smith' }, { name: 'Ada Berg' }, { name: 'Tom Brown' }];
const MAILBOXES = DOMAINS.length * PERSONAS.length;
/** Lines the batch refuses, each with the hint the single add gives. */
const REFUSED = ['https://www.shop.example/', 'FLEET07.example', 'mail.fleet01.example'];
/** IMAP logins in flight at once: each costs Dovecot an Argon2id verification. */
const LOGINS_AT_ONCE = 4;

/** Where each format puts a mailbox's login. */
const LOGIN_COLUMNS: Record<CredentialsFormat, { user: string; pass: string }> = {
  generic: { user: 'imap_username', pass: 'password' },
  instantly: { user: 'IMAP Username', pass: 'IMAP Password' },
  smartlead: { user: 'imap_user_name', pass: 'imap_password' },
  emailbison: { user: 'Email', pass: 'Password' },
};
/** The spread's own download; every other format from an export job (new passwords). */
const FIRST_FORMAT: CredentialsFormat = 'instantly';
const EXPORT_FORMATS = CREDENTIALS_FORMATS.filter((f) => f !== FIRST_FORMAT);

interface Login {
  user: string;
  pass: string;
}

/**
 * Issue #15's acceptance end to end: 50 domains added in one request (3 lines refused with
 * hints), their records published to a real DNS server (Knot, over RFC 2136) and the domains
 * verified against it, both as bulk jobs; 150 mailboxes spread over them in one job; the
 * credentials downloaded in every format (the spread's own download, then an export job per
 * further format), and every password of every download logging in over IMAP on the real
 * Dovecot, the old ones refused; one login of a download sending mail that another mailbox
 * receives.
 */
describe.each(DIALECTS)('a fleet of 50 domains from batch add to IMAP logins on %s', (dialect) => {
  let h: Harness;
  let knot: KnotServer;
  let stack: MailStack;
  let spreadJob: string;
  let current: Login[] = [];

  const canLogIn = ({ user, pass }: Login) => imapLogInWorks(stack, user, pass);

  /** Every login that failed, so one assertion names them all. */
  const refusedLogins = async (logins: Login[]): Promise<string[]> => {
    const refused: string[] = [];
    for (let i = 0; i < logins.length; i += LOGINS_AT_ONCE) {
      const chunk = logins.slice(i, i + LOGINS_AT_ONCE);
      const results = await Promise.all(chunk.map(canLogIn));
      chunk.forEach((login, j) => {
        if (!results[j]) refused.push(login.user);
      });
    }
    return refused;
  };

  const finishedJob = async (id: string) => {
    await runJobs(h);
    return (await call(h, 'GET', `/v1/jobs/${id}`)).body;
  };

  /** The job's one-time credentials in `format`, as the logins its rows hold. */
  const download = async (jobId: string, format: CredentialsFormat): Promise<Login[]> => {
    const res = await call(h, 'GET', `/v1/jobs/${jobId}/credentials.csv?format=${format}`);
    expect(res.status, res.text).toBe(200);
    const { user, pass } = LOGIN_COLUMNS[format];
    const { header, rows } = parseCsv(res.text);
    expect(header).toEqual(expect.arrayContaining([user, pass]));
    return rows.map((row) => ({ user: row[user]!, pass: row[pass]! }));
  };

  beforeAll(async () => {
    knot = await startKnot({ zones: DOMAINS });
    h = await startHarness(dialect);
    // Publishing writes to Knot; verification and the live checks ask Knot.
    h.ctx.dnsProvider = createRfc2136Provider({
      server: knot.address,
      keyName: knot.keyName,
      keySecret: knot.keySecret,
    });
    h.ctx.dns = createTxtResolver([knot.address], { timeoutMs: 2000 });
    h.ctx.recordChecker = createRecordChecker({
      servers: [knot.address],
      mailHost: h.ctx.dnsSettings.mailHost,
      timeoutMs: 2000,
    });
    await setLimits(h, { ...GENEROUS, maxBulkCount: MAILBOXES });
    stack = await startMailStack(h.url, `mx.${DOMAINS[0]}`);
    h.ctx.mailPlane = { flushAuth: dovecotAuthCacheFlush(dovecotConfigFile(stack.settings)) };
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await h?.close();
    await knot?.stop();
  }, 60_000);

  it('adds 50 domains in one request and refuses 3 lines with hints', async () => {
    const names = [...DOMAINS.slice(0, 20), REFUSED[0], ...DOMAINS.slice(20), ...REFUSED.slice(1)];
    const res = await call(h, 'POST', '/v1/domains/batch', { body: { names: names.join('\n') } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.created.map((d: { name: string }) => d.name)).toEqual(DOMAINS);
    expect(res.body.rejected.map((r: { name: string }) => r.name)).toEqual(REFUSED);
    expect(res.body.rejected.map((r: { code: string }) => r.code).slice(0, 2)).toEqual([
      'has_scheme',
      'duplicate',
    ]);
    const hints = res.body.rejected.map((r: { message: string }) => r.message);
    expect(hints[0]).toContain('shop.example');
    expect(hints[1]).toContain('fleet07.example');
    expect(hints[2]).toContain('fleet01.example');
    // Each new domain gets its DKIM keys (RSA among them) within the request.
  }, 180_000);

  it('publishes every domain to Knot and verifies them against it, each as one job', async () => {
    const published = await call(h, 'POST', '/v1/domains/dns/publish', {
      body: { names: DOMAINS },
    });
    expect(published.status, published.text).toBe(202);
    const publishJob = await finishedJob(published.body.job.id);
    expect(publishJob, JSON.stringify(publishJob.errors)).toMatchObject({
      kind: 'publish_dns',
      status: 'succeeded',
      done: DOMAINS.length,
      failed: 0,
    });

    const verify = await call(h, 'POST', '/v1/domains/verify', { body: { pending: true } });
    expect(verify.status, verify.text).toBe(202);
    expect([...verify.body.domains].sort()).toEqual(DOMAINS);
    const verifyJob = await finishedJob(verify.body.job.id);
    expect(verifyJob, JSON.stringify(verifyJob.errors)).toMatchObject({
      kind: 'verify_domains',
      status: 'succeeded',
      done: DOMAINS.length,
      failed: 0,
    });
    const listed = await call(h, 'GET', '/v1/domains?limit=100');
    const statuses = Object.fromEntries(
      listed.body.items.map((d: { name: string; status: string }) => [d.name, d.status]),
    );
    expect(statuses).toEqual(Object.fromEntries(DOMAINS.map((d) => [d, 'verified'])));
  }, 300_000);

  it('spreads 150 mailboxes over the 50 domains in one job, previewed first', async () => {
    const body = {
      mode: 'spread',
      domains: DOMAINS,
      personas: PERSONAS,
      perDomain: PERSONAS.length,
      password: { generate: true },
    };
    const dry = await call(h, 'POST', '/v1/mailboxes', { body: { ...body, dryRun: true } });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body.preview.addresses).toHaveLength(MAILBOXES);
    expect(dry.body.preview.domains.map((d: { domain: string }) => d.domain)).toEqual(DOMAINS);

    const res = await call(h, 'POST', '/v1/mailboxes', { body });
    expect(res.status, res.text).toBe(202);
    expect(res.body.job).toMatchObject({ kind: 'bulk_mailboxes', total: MAILBOXES });
    const job = await finishedJob(res.body.job.id);
    expect(job).toMatchObject({ status: 'succeeded', done: MAILBOXES, failed: 0 });
    spreadJob = job.id;
  }, 300_000);

  it(`logs in over IMAP with every password of the spread's ${FIRST_FORMAT} download`, async () => {
    current = await download(spreadJob, FIRST_FORMAT);
    expect(current).toHaveLength(MAILBOXES);
    expect(await refusedLogins(current), stack.logs()).toEqual([]);
  }, 300_000);

  it.each(EXPORT_FORMATS)(
    'exports the 150 mailboxes as %s: every new password logs in, an old one no longer does',
    async (format) => {
      expect(current).toHaveLength(MAILBOXES);
      const res = await call(h, 'POST', '/v1/mailboxes/export', { body: { domains: DOMAINS } });
      expect(res.status, res.text).toBe(202);
      const job = await finishedJob(res.body.job.id);
      expect(job).toMatchObject({ kind: 'export_mailboxes', done: MAILBOXES, failed: 0 });
      const exported = await download(job.id, format);
      expect(exported.map((l) => l.user).sort()).toEqual(current.map((l) => l.user).sort());
      expect(await refusedLogins(exported), stack.logs()).toEqual([]);
      // Each refusal waits out Dovecot's auth_failure_delay: one stands for the rest.
      expect(await canLogIn(current[0]!), current[0]!.user).toBe(false);
      current = exported;
    },
    300_000,
  );

  it('sends mail through submission with a downloaded login to a mailbox on another domain', async () => {
    const [from, to] = [current[0]!, current[current.length - 1]!];
    expect(from.user.split('@')[1]).not.toBe(to.user.split('@')[1]);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.submission,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
      auth: from,
    });
    try {
      const info = await transport.sendMail({
        from: from.user,
        to: to.user,
        subject: 'fleet hello',
        text: 'Sent with an exported login.',
      });
      expect(String(info.response)).toMatch(/^250/);
    } finally {
      transport.close();
    }
    const newDir = stack.newMailDir(to.user);
    const deadline = Date.now() + 30_000;
    let found = false;
    while (!found) {
      found =
        existsSync(newDir) &&
        readdirSync(newDir).some((f) =>
          readFileSync(join(newDir, f), 'utf8').includes('Subject: fleet hello'),
        );
      if (!found && Date.now() > deadline) throw new Error(`not delivered\n${stack.logs()}`);
      if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);
});
