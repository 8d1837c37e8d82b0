import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readFileSync, statSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  lastSyslogLine,
  SYSLOG_SOCKET,
  syslogCatcherPaths,
} from '../../src/mailstack/syslog-catcher.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';

const DOMAIN = 'syslog.example';

/**
 * OpenDKIM tells only syslog why it refuses a key. On this machine, as in a container, no
 * syslog daemon runs: `mailstack up` catches /dev/log into the stack's log directory.
 */
describe.each(DIALECTS)("OpenDKIM's refusals without a syslog daemon on %s", (dialect) => {
  let stack: MailStack;
  let auth: { user: string; pass: string };
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    // With something else on /dev/log the stack's catcher steps aside and the lines go there:
    // say who, rather than fail later on a log file that never appears.
    const holder = execFileSync('ss', ['-xapH', 'src', SYSLOG_SOCKET], { encoding: 'utf8' }).trim();
    expect(
      holder,
      `${SYSLOG_SOCKET} is held by another process (a syslog daemon, or a catcher left by a run that was killed); stop it to run this test:\n${holder}`,
    ).toBe('');
    const fresh = await freshStore(dialect);
    drop = fresh.drop;
    const ctx = testContext(fresh.store, { key: randomBytes(32) });
    const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
    const actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: DOMAIN });
    await verifyDomain(ctx, actor, DOMAIN, { manual: true });
    stack = await startMailStack(fresh.url, `mx.${DOMAIN}`, { keys: await signingKeys(ctx) });
    const created = await createMailbox(ctx, actor, {
      name: 'Sam Sender',
      localPart: 'sam',
      domain: DOMAIN,
      password: { generate: true },
      quotaMb: 10,
    });
    auth = { user: created.mailbox.address, pass: created.password! };
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await drop();
  }, 60_000);

  it('writes "key data is not secure" to <log>/syslog.log when the key directory is unsafe', async () => {
    // The documented layout's fault: a directory of the keys' path owned by the data dir's
    // account, which OpenDKIM (neither that account nor root) refuses.
    const keys = stack.settings.dirs.dkimKeys;
    const owner = statSync(stack.env.MAILWRIGHT_DATA_DIR!);
    chownSync(keys, owner.uid, owner.gid);
    chmodSync(keys, 0o755);

    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.settings.ports.submission,
      secure: false,
      ignoreTLS: true,
      auth,
    });
    const refused = await transport
      .sendMail({ from: auth.user, to: auth.user, subject: 'unsigned?', text: 'Hello.' })
      .then(
        () => null,
        (error: { responseCode?: number }) => error.responseCode,
      );
    transport.close();
    expect(refused, stack.logs()).toBe(451);

    const log = syslogCatcherPaths(stack.settings).log;
    expect(existsSync(log), stack.logs()).toBe(true);
    const refusal = expect.stringMatching(
      new RegExp(
        `opendkim\\[\\d+\\]: .*key data is not secure: ${keys} is writeable and owned by uid ${owner.uid}`,
      ),
    );
    // The catcher writes what it received a moment after OpenDKIM sent it.
    await vi.waitFor(
      () => expect(readFileSync(log, 'utf8').split('\n'), stack.logs()).toContainEqual(refusal),
      { timeout: 5_000 },
    );
    // What doctor's key-directory check adds to its detail.
    expect(await lastSyslogLine(stack.settings, 'opendkim', 'key data is not secure')).toEqual(
      refusal,
    );
  }, 60_000);
});
