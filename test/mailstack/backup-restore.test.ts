import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { down, up } from '../../src/mailstack/stack.js';
import { openStore } from '../../src/store/database.js';
import { runWith } from '../cli/run-cli.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore, PG_URL } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const HOST = '127.0.0.1';
const MAIL_HOST = 'mx.restore.example';
const DOMAIN = 'restore.example';
const ADDRESS = `josh@${DOMAIN}`;
const PASSWORD = 'Correct-Horse-Battery-42';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * docs/deployment.md "Backups" on the real mail plane: `mailwright backup --with-mail` of a
 * running host, the host wiped (database, server key, DKIM keys, maildirs), `mailwright restore`,
 * `up` again: the mailbox receives, and its old password logs in and finds its old mail.
 */
describe.each(DIALECTS)('backup and restore of a working mail host on %s', (dialect) => {
  let stack: MailStack | undefined;
  let drop: () => Promise<void> = async () => {};

  afterAll(async () => {
    await stack?.stop();
    await drop();
  }, 60_000);

  const send = async (subject: string): Promise<void> => {
    const transport = nodemailer.createTransport({
      host: HOST,
      port: stack!.settings.ports.smtp,
      secure: false,
      ignoreTLS: true,
      name: 'client.test',
    });
    try {
      await transport.sendMail({ from: 'sender@remote.test', to: ADDRESS, subject, text: 'Hi.' });
    } finally {
      transport.close();
    }
  };

  const delivered = async (subject: string): Promise<void> => {
    const dir = stack!.newMailDir(ADDRESS);
    const deadline = Date.now() + 20_000;
    while (!(
      existsSync(dir) &&
      readdirSync(dir).some((f) => readFileSync(join(dir, f), 'utf8').includes(subject))
    )) {
      if (Date.now() > deadline) throw new Error(`${subject} not delivered\n${stack!.logs()}`);
      await sleep(200);
    }
  };

  const subjectsInInbox = async (): Promise<string[]> => {
    const client = new ImapFlow({
      host: HOST,
      port: stack!.settings.ports.imap,
      secure: false,
      logger: false,
      auth: { user: ADDRESS, pass: PASSWORD },
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const subjects: string[] = [];
        for await (const m of client.fetch('1:*', { envelope: true })) {
          subjects.push(m.envelope?.subject ?? '');
        }
        return subjects.sort();
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  };

  it('receives again, and the old password logs in to the old mail, after backup → wipe → restore', async () => {
    const fresh = await freshStore(dialect);
    drop = fresh.drop;
    const key = randomBytes(32);
    const ctx = testContext(fresh.store, { key });
    const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
    const actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    await createMailbox(ctx, actor, {
      name: 'Josh Smith',
      localPart: 'josh',
      domain: DOMAIN,
      password: { generate: false, value: PASSWORD },
    });
    stack = await startMailStack(fresh.url, MAIL_HOST, { keys: await signingKeys(ctx) });
    const { settings } = stack;
    const dataDir = stack.env.MAILWRIGHT_DATA_DIR!;
    // The server key where the API would have created it.
    writeFileSync(join(dataDir, 'secret.key'), `${key.toString('hex')}\n`, { mode: 0o600 });
    const env = { ...stack.env, MAILWRIGHT_MAIL_HOST: MAIL_HOST };
    await send('before the backup');
    await delivered('before the backup');

    const backupDir = join(mkdtempSync(join(dataDir, '..', 'backup-')), 'b');
    const made = await runWith(env, ['--json', 'backup', '--with-mail', backupDir]);
    expect(made.code, made.stderr + made.stdout).toBe(0);
    expect(made.json.files.map((f: { part: string }) => f.part)).toEqual([
      'database',
      'secret-key',
      'dkim-keys',
      'mail',
    ]);

    // The host loses everything but its (empty) data dir.
    await down(settings);
    await fresh.store.close();
    if (settings.dialect === 'sqlite') {
      for (const suffix of ['', '-wal', '-shm']) {
        rmSync(`${settings.database.path}${suffix}`, { force: true });
      }
    } else {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema ${settings.database.schema!} cascade`);
      await client.end();
    }
    rmSync(join(dataDir, 'secret.key'));
    rmSync(settings.dirs.dkimKeys, { recursive: true });
    rmSync(settings.dirs.mail, { recursive: true });

    const restored = await runWith(env, ['restore', backupDir]);
    expect(restored.code, restored.stderr).toBe(0);
    rmSync(join(backupDir, '..'), { recursive: true });

    // `mailstack up` again, with the keys the restored server key unseals from the restored database.
    const store = openStore(fresh.url);
    drop = async () => {
      await store.close();
      await fresh.drop().catch(() => undefined);
    };
    const keys = await signingKeys(testContext(store, { key }));
    expect(keys.map((k) => k.domain)).toEqual([DOMAIN]);
    await up(settings, keys);
    await send('after the restore');
    await delivered('after the restore');
    expect(await subjectsInInbox(), stack.logs()).toEqual([
      'after the restore',
      'before the backup',
    ]);
  }, 120_000);
});
