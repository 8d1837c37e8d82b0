import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailPlaneSettings, type MailPlaneSettings } from '../../src/mailstack/settings.js';
import { down, status, up } from '../../src/mailstack/stack.js';
import { addDomain } from '../../src/services/add-domain.js';
import type { Actor } from '../../src/services/context.js';
import { createAccount } from '../../src/services/create-account.js';
import { createMailbox } from '../../src/services/create-mailbox.js';
import { verifyDomain } from '../../src/services/verify-domain.js';
import { testContext } from '../support/context.js';
import { runWith } from '../cli/run-cli.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { imap, imapQuote, smtp } from './wire.js';

/** A port nobody listens on right now. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const HOST = '127.0.0.1';
const DOMAIN = 'e2e.example';
const ADDRESS = `josh@${DOMAIN}`;

/**
 * The real servers, started by `up` on random ports in a temporary data dir, over a database
 * Mailwright's own services filled: mail in over SMTP, LMTP delivery, IMAP login with the
 * generated password (an argon2id hash made by Mailwright), on each dialect. Needs root, as the
 * servers do; a machine without Postfix and Dovecot fails here rather than skipping.
 */
describe.each(DIALECTS)('the mail plane end to end on %s', (dialect) => {
  let settings: MailPlaneSettings;
  let env: Record<string, string>;
  let password: string;
  let closeStore: () => Promise<void> = async () => {};

  /** The servers' logs, for a failing assertion's message. */
  const logs = (): string => {
    const dir = settings.dirs.log;
    if (!existsSync(dir)) return '(no log directory)';
    return readdirSync(dir)
      .map((f) => `==> ${f} <==\n${readFileSync(join(dir, f), 'utf8')}`)
      .join('\n');
  };

  beforeAll(async () => {
    const { store, url, drop } = await freshStore(dialect);
    closeStore = drop;
    const ctx = testContext(store);
    const account = await createAccount(ctx, { name: 'e2e', actor: 'test' });
    const actor: Actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    const created = await createMailbox(ctx, actor, {
      name: 'Josh Smith',
      localPart: 'josh',
      domain: DOMAIN,
      password: { generate: true },
    });
    password = created.password!;

    const dataDir = mkdtempSync(join(tmpdir(), 'mailwright-e2e-'));
    env = { MAILWRIGHT_DATA_DIR: dataDir, MAILWRIGHT_DATABASE_URL: url };
    settings = mailPlaneSettings({
      databaseUrl: url,
      dataDir,
      mailHost: 'mx.e2e.example',
      ports: { smtp: await freePort(), submission: await freePort(), imap: await freePort() },
    });
    try {
      await up(settings);
    } catch (error) {
      throw new Error(`up failed: ${(error as Error).message}\n${logs()}`);
    }
  }, 60_000);

  afterAll(async () => {
    if (settings) {
      const after = await down(settings);
      expect(after.postfix.running || after.dovecot.running).toBe(false);
    }
    await closeStore();
  }, 60_000);

  it('reports both servers running', async () => {
    const s = await status(settings);
    expect(s.postfix.running, logs()).toBe(true);
    expect(s.dovecot.running, logs()).toBe(true);
    const cli = await runWith(env, ['--json', 'mailstack', 'status']);
    expect(cli.json).toEqual(s);
  });

  it('refuses an unknown recipient at RCPT', async () => {
    const c = await smtp(HOST, settings.ports.smtp);
    expect(await c.command('EHLO client.test')).toMatch(/^250 /m);
    expect(await c.command('MAIL FROM:<sender@remote.test>')).toMatch(/^250 /);
    expect(await c.command(`RCPT TO:<nobody@${DOMAIN}>`), logs()).toMatch(/^550 5\.1\.1 /);
    await c.close();
  });

  it('takes a message for the mailbox and delivers it to its maildir', async () => {
    const c = await smtp(HOST, settings.ports.smtp);
    expect(await c.command('EHLO client.test')).toMatch(/^250 /m);
    expect(await c.command('MAIL FROM:<sender@remote.test>')).toMatch(/^250 /);
    expect(await c.command(`RCPT TO:<${ADDRESS}>`), logs()).toMatch(/^250 /);
    const reply = await c.data(
      [
        'From: Sender <sender@remote.test>',
        `To: Josh <${ADDRESS}>`,
        'Subject: hello from the e2e test',
        'Message-ID: <e2e-1@remote.test>',
        '',
        'First line.',
        '.A line starting with a dot.',
        '',
      ].join('\n'),
    );
    expect(reply).toMatch(/^250 /);
    await c.close();

    const newDir = join(settings.dirs.mail, DOMAIN, 'josh', 'Maildir', 'new');
    const deadline = Date.now() + 20_000;
    while (!(existsSync(newDir) && readdirSync(newDir).length > 0)) {
      if (Date.now() > deadline) throw new Error(`not delivered to ${newDir}\n${logs()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const [file] = readdirSync(newDir);
    expect(readFileSync(join(newDir, file!), 'utf8')).toContain('Subject: hello from the e2e test');
  });

  it('lets the mailbox log in over IMAP with its generated password and read the message', async () => {
    const c = await imap(HOST, settings.ports.imap);
    expect(c.greeting).toMatch(/^\* OK/);
    const login = await c.command(`LOGIN ${imapQuote(ADDRESS)} ${imapQuote(password)}`);
    expect(login.status, logs()).toMatch(/^a1 OK/);
    const select = await c.command('SELECT INBOX');
    expect(select.status).toMatch(/OK/);
    expect(select.untagged).toMatch(/^\* 1 EXISTS/m);
    const fetch = await c.command('FETCH 1 BODY.PEEK[]');
    expect(fetch.status).toMatch(/OK/);
    expect(fetch.untagged).toContain('Subject: hello from the e2e test');
    expect(fetch.untagged).toContain('\r\n.A line starting with a dot.\r\n');
    await c.command('LOGOUT');
    c.close();
  });

  it('refuses a wrong password', async () => {
    const c = await imap(HOST, settings.ports.imap);
    const login = await c.command(`LOGIN ${imapQuote(ADDRESS)} ${imapQuote(`${password}x`)}`);
    expect(login.status).toMatch(/^a1 NO /);
    c.close();
  });
});
