import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DoctorReport } from '../../src/app/doctor.js';
import { dovecotConfigFile } from '../../src/mailstack/render.js';
import { RUNNER_SILENT_AFTER_SECONDS } from '../../src/core/runner-heartbeat.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import type { Store } from '../../src/store/database.js';
import { latestHeartbeat } from '../../src/store/runner-heartbeats.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { runWith } from '../cli/run-cli.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startMailStack, type MailStack } from '../support/mail-stack.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { freePort } from '../support/ports.js';
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
  let dns: TestDnsServer;
  // The API's job runner, whose heartbeat doctor reads.
  let runner: JobRunner;
  let store: Store;
  // Loopback stand-ins: an MX out on port 25, a web server whose Date the clock is compared
  // with (`clockOffsetMs` moves it), and a port held by this Node process as the API's.
  let smtp: Server;
  let api: Server;
  let clockOffsetMs = 0;
  const timeServer = createHttpServer((_req, res) =>
    res.writeHead(204, { date: new Date(Date.now() + clockOffsetMs).toUTCString() }).end(),
  );
  const portOf = (server: { address(): unknown }) => (server.address() as AddressInfo).port;
  const listen = async <T extends Server | typeof timeServer>(server: T) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };

  beforeAll(async () => {
    const fresh = await freshStore(dialect);
    drop = fresh.drop;
    const key = randomBytes(32);
    store = fresh.store;
    const ctx = testContext(fresh.store, { key });
    runner = new JobRunner(ctx);
    runner.start();
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
    dns = await startDnsServer();
    dns.setAddresses(MAIL_HOST, 'A', ['127.0.0.1']);
    dns.setPtr('127.0.0.1', MAIL_HOST);
    dns.setTxt(MAIL_HOST, ['v=spf1 a -all']);
    smtp = await listen(createServer((socket) => socket.end('220 mx.probe.example ESMTP\r\n')));
    api = await listen(createServer((socket) => socket.end()));
    await listen(timeServer);
    env = {
      ...stack.env,
      MAILWRIGHT_DNS_SERVERS: dns.address,
      MAILWRIGHT_DOCTOR_SMTP_PROBE: `127.0.0.1:${portOf(smtp)}`,
      MAILWRIGHT_DOCTOR_TIME_URL: `http://127.0.0.1:${portOf(timeServer)}/`,
      MAILWRIGHT_LISTEN: `127.0.0.1:${portOf(api)}`,
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
      '--submissions-port',
      String(s.ports.submissions),
    ];
  }, 60_000);

  afterAll(async () => {
    smtp?.close();
    api?.close();
    timeServer.close();
    await dns?.close();
    await runner?.stop();
    await stack?.stop();
    await drop();
  }, 60_000);

  const doctor = async (extra: Record<string, string> = {}) => {
    const run = await runWith({ ...env, ...extra }, ['--json', 'doctor', ...args]);
    const report = run.json as DoctorReport;
    // A run that printed no report (a crash, a refused database connection) says what it printed.
    if (!Array.isArray(report?.checks)) {
      throw new Error(`doctor printed no report (exit ${run.code}):\n${run.stderr}${run.stdout}`);
    }
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
      'outbound-25',
      'mail-host-address',
      'ptr',
      'helo-spf',
      'ports',
      'clock',
    ]);
    expect(
      report.checks.filter((c) => !c.ok),
      text,
    ).toEqual([]);
    expect(code).toBe(0);
    const plain = await runWith(env, ['doctor', ...args]);
    expect(plain.stdout).toMatch(/^✔ dovecot {14}running \(pid \d+\), answering on \d+, \d+$/m);
    const ports = report.checks.find((c) => c.name === 'ports')!.detail;
    expect(ports).toContain(`${stack.settings.ports.smtp} Postfix`);
    expect(ports).toContain(`${stack.settings.ports.imap} Dovecot`);
    expect(ports).toContain(`${portOf(api)} the API`);
  });

  it('reports a PTR that does not name the mail host, and only that, with the fix', async () => {
    dns.setPtr('127.0.0.1', 'host-127-0-0-1.provider.example');
    try {
      const { code, failed } = await doctor();
      expect(failed.map((c) => c.name)).toEqual(['ptr']);
      expect(failed[0]!.detail).toBe(
        `reverse DNS does not name ${MAIL_HOST}: 127.0.0.1 → host-127-0-0-1.provider.example`,
      );
      expect(failed[0]!.fix).toMatch(
        /^Ask the provider of 127\.0\.0\.1 to set its reverse DNS \(PTR\) to mx\.doctor\.example/,
      );
      expect(code).toBe(1);
    } finally {
      dns.setPtr('127.0.0.1', MAIL_HOST);
    }
  });

  it('reports a job runner silent for too long, and only that, with the fix', async () => {
    await runner.stop();
    // Its last heartbeat as a runner that died that long ago left it.
    const silentSince = new Date(Date.now() - (RUNNER_SILENT_AFTER_SECONDS + 60) * 1000);
    await store.db
      .updateTable('runner_heartbeats')
      .set({ beat_at: silentSince.toISOString() })
      .where('runner_id', '=', runner.id)
      .execute();
    try {
      const { code, failed } = await doctor();
      expect(failed.map((c) => c.name)).toEqual(['job-runner']);
      expect(failed[0]!.detail).toMatch(
        new RegExp(
          `^no heartbeat for \\d+ s \\(last: ${runner.id} at ${silentSince.toISOString()};`,
        ),
      );
      expect(failed[0]!.fix).toMatch(/^Start the API, which runs the job runner: systemctl start/);
      expect(code).toBe(1);
    } finally {
      runner.start();
    }
    // Started again, it beats at once and the line is ✔ again.
    await vi.waitFor(async () =>
      expect((await latestHeartbeat(store.db))!.beat_at > silentSince.toISOString()).toBe(true),
    );
    expect((await doctor()).failed).toEqual([]);
  });

  it('reports outbound port 25 closed, and only that, with the fix', async () => {
    const { code, failed } = await doctor({
      MAILWRIGHT_DOCTOR_SMTP_PROBE: `127.0.0.1:${await freePort()}`,
    });
    expect(failed.map((c) => c.name)).toEqual(['outbound-25']);
    expect(failed[0]!.detail).toMatch(/ECONNREFUSED/);
    expect(failed[0]!.fix).toMatch(/open outbound port 25, or send through a relay/);
    expect(code).toBe(1);
  });

  it('reports a HELO name without SPF, and a clock five minutes off, each with the fix', async () => {
    dns.setTxt(MAIL_HOST, []);
    clockOffsetMs = -300_000;
    try {
      const { failed } = await doctor();
      expect(failed.map((c) => c.name)).toEqual(['helo-spf', 'clock']);
      expect(failed[0]!.fix).toMatch(
        /add a TXT record at mx\.doctor\.example with the value "v=spf1 a -all"/,
      );
      expect(failed[1]!.detail).toMatch(/^30\d s ahead of http:/);
      expect(failed[1]!.fix).toMatch(/timedatectl set-ntp true/);
    } finally {
      dns.setTxt(MAIL_HOST, ['v=spf1 a -all']);
      clockOffsetMs = 0;
    }
  });

  it('reports a stored ACME certificate about to expire, with cert renew as the fix', async () => {
    const dir = join(env.MAILWRIGHT_DATA_DIR!, 'certs', 'mta-sts.doctor.example');
    mkdirSync(dir, { recursive: true });
    const expiring = certificate('mta-sts.doctor.example', 5);
    writeFileSync(join(dir, 'fullchain.pem'), expiring.cert);
    writeFileSync(join(dir, 'privkey.pem'), expiring.key);
    try {
      const { code, failed } = await doctor();
      expect(failed.map((c) => c.name)).toEqual([`certificate:${join(dir, 'fullchain.pem')}`]);
      expect(failed[0]!.detail).toMatch(
        /^for the host mta-sts\.doctor\.example, valid until .*: [45] day\(s\) left$/,
      );
      expect(failed[0]!.fix).toMatch(/^Renew it: mailwright cert renew/);
      expect(code).toBe(1);
    } finally {
      rmSync(join(env.MAILWRIGHT_DATA_DIR!, 'certs'), { recursive: true, force: true });
    }
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
