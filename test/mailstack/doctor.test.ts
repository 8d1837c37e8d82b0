import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/app/doctor.js';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { runWith } from '../cli/run-cli.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';
import { certificate } from '../support/tls.js';

const MAIL_HOST = 'mx.doctor.example';

/**
 * `mailwright doctor` against the real mail plane: every line ✔ on a healthy stack, then one
 * planted fault at a time turns exactly its line ✘, with the fix.
 */
describe.each(DIALECTS)('mailwright doctor on %s', (dialect) => {
  let stack: MailStack;
  let env: Record<string, string>;
  let args: string[];
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    drop = fresh.drop;
    const key = randomBytes(32);
    const ctx = testContext(fresh.store, { key });
    const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
    const actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: 'doctor.example' });
    await verifyDomain(ctx, actor, 'doctor.example', { manual: true });
    stack = await startMailStack(fresh.url, MAIL_HOST, {
      keys: await signingKeys(ctx),
      tls: certificate(MAIL_HOST, 90),
    });
    const s = stack.settings;
    writeFileSync(join(stack.env.MAILWRIGHT_DATA_DIR!, 'secret.key'), `${key.toString('hex')}\n`, {
      mode: 0o600,
    });
    env = {
      ...stack.env,
      MAILWRIGHT_MAIL_HOST: MAIL_HOST,
      MAILWRIGHT_MAIL_TLS_CERT: s.tls!.certFile,
      MAILWRIGHT_MAIL_TLS_KEY: s.tls!.keyFile,
    };
    args = [
      '--listen',
      s.listen,
      '--smtp-port',
      String(s.ports.smtp),
      '--submission-port',
      String(s.ports.submission),
      '--imap-port',
      String(s.ports.imap),
      '--imaps-port',
      String(s.ports.imaps),
    ];
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await drop();
  }, 60_000);

  const doctor = async () => {
    const run = await runWith(env, ['--json', 'doctor', ...args]);
    const report = run.json as DoctorReport;
    return {
      code: run.code,
      report,
      failed: report.checks.filter((c) => !c.ok),
      text: `${run.stderr}${run.stdout}\n${stack.logs()}`,
    };
  };

  it('passes every check on a healthy stack', async () => {
    const { code, report, text } = await doctor();
    expect(report.checks.map((c) => c.name)).toEqual([
      'database',
      'migrations',
      'job-runner',
      'postfix',
      'dovecot',
      'opendkim',
      'fromCheck',
      'policy',
      'postsrsd',
      'dkim-key-directory',
      'dkim-keys',
      `certificate:${stack.settings.tls!.certFile}`,
    ]);
    expect(
      report.checks.filter((c) => !c.ok),
      text,
    ).toEqual([]);
    expect(code).toBe(0);
    const plain = await runWith(env, ['doctor', ...args]);
    expect(plain.stdout).toMatch(/^✔ dovecot {14}running \(pid \d+\), answering on \d+, \d+$/m);
  });

  it('reports a DKIM key directory writable by a group with other members, with the fix', async () => {
    const dir = stack.settings.dirs.dkimKeys;
    const before = statSync(dir);
    const shared = Number(
      execFileSync('getent', ['group', 'mailwright'], { encoding: 'utf8' }).split(':')[2],
    );
    chownSync(dir, before.uid, shared);
    chmodSync(dir, 0o770);
    try {
      const { code, failed } = await doctor();
      expect(failed.map((c) => c.name)).toEqual(['dkim-key-directory']);
      expect(failed[0]!.detail).toMatch(/OpenDKIM \(RequireSafeKeys\) refuses the DKIM keys/);
      expect(failed[0]!.fix).toMatch(/mailstack sync/);
      expect(code).toBe(1);
    } finally {
      chownSync(dir, before.uid, before.gid);
      chmodSync(dir, 0o700);
    }
    expect((await doctor()).failed).toEqual([]);
  });

  it('reports a certificate that expires within two weeks, with the fix', async () => {
    const file = stack.settings.tls!.certFile;
    writeFileSync(file, certificate(MAIL_HOST, 5).cert);
    try {
      const { code, failed } = await doctor();
      expect(failed.map((c) => c.name)).toEqual([`certificate:${file}`]);
      expect(failed[0]!.detail).toMatch(/: [45] day\(s\) left$/);
      expect(failed[0]!.fix).toMatch(/^Renew it/);
      expect(code).toBe(1);
    } finally {
      writeFileSync(file, certificate(MAIL_HOST, 90).cert);
    }
  });

  it('reports a stopped Dovecot, and only Dovecot, with the fix', async () => {
    execFileSync('doveadm', ['-c', dovecotConfigFile(stack.settings), 'stop']);
    const { code, failed } = await doctor();
    expect(failed.map((c) => c.name)).toEqual(['dovecot']);
    expect(failed[0]!.detail).toBe('not running');
    expect(failed[0]!.fix).toMatch(/^Start it: mailwright mailstack up/);
    expect(code).toBe(1);
  });
});
