import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import { ImapFlow } from 'imapflow';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/app/doctor.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startPebble, type Pebble } from '../support/pebble.js';
import { freePort } from '../support/ports.js';
import { certificate } from '../support/tls.js';
import { ROOT } from './parse.js';

/*
 * deploy/install.sh as an administrator runs it: `git clone` of this repository, then the
 * installer as root, here into a fresh root-owned prefix (--prefix) with the ownership it gives
 * a real host, and without systemd (no systemd as PID 1 here: the units' own command lines).
 * Everything stays on loopback: the env file gets loopback addresses and free ports, the mail
 * host resolves to 127.0.0.1 through a DNS server the test runs (MAILWRIGHT_DNS_SERVERS), and
 * every recipient is a local mailbox. The mail host's certificate comes from Debian's pebble, an
 * ACME CA the test starts on loopback: it resolves the mail host through the test's DNS server
 * and validates HTTP-01 on the installed host's challenge listener (MAILWRIGHT_HTTP_LISTEN).
 */

const MAIL_HOST = 'mx.install.test';
const DOMAIN = 'example.test';
const ADMIN = `ops@${DOMAIN}`;
const OLIVE = { address: `olive@${DOMAIN}`, pass: 'Tangerine-Harbor-2026-x' };
const JO = { address: `jo@${DOMAIN}`, pass: 'Copper-Lantern-2026-y' };
// Short: Dovecot's and Postfix's unix sockets live below the data dir, and a socket path has at
// most 107 bytes (/var/lib/mailwright needs 72 of them; a prefix adds its own length).
const TESTS_DIR = '/srv';
/** Root's, 0755 like /var/lib: OpenDKIM checks every directory above its keys. */
function rootOwnedDir(prefix: string): string {
  const dir = mkdtempSync(join(TESTS_DIR, prefix));
  chmodSync(dir, 0o755);
  return dir;
}

interface Run {
  status: number | null;
  out: string;
}
/**
 * Runs a command without blocking the event loop: the DNS server this test runs answers the
 * lookups of the processes it starts.
 */
const run = (cmd: string, args: string[], opts: { input?: string; cwd?: string } = {}) =>
  new Promise<Run>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? '/' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
    child.stdin.end(opts.input ?? '');
  });

/** A clone of `source` (this repository), as `git clone` gives it, with this checkout's packages. */
function cloneCheckout(into: string, source = ROOT): string {
  const code = join(into, 'opt', 'mailwright');
  execFileSync('install', ['-d', '-m', '0755', join(into, 'opt')]);
  execFileSync('git', ['clone', '-q', source, code]);
  // `npm ci` would fetch from the registry: the clone shares this checkout's node_modules
  // (hard links), and the installer's stamp says they were installed for its lock file.
  execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(code, 'node_modules')]);
  const lock = createHash('sha256')
    .update(readFileSync(join(code, 'package-lock.json')))
    .digest('hex');
  writeFileSync(join(code, 'node_modules', '.mailwright-lock'), `${lock}\n`);
  return code;
}

/** One installation under a prefix: its ports, files and commands. */
class Install {
  ports = { api: 0, http: 0, smtp: 0, submission: 0, submissions: 0, imap: 0, imaps: 0 };
  pebble?: Pebble;
  /** The root pebble signs with: what a client of the installed host trusts. */
  issuingRoot = '';

  constructor(
    readonly prefix: string,
    readonly code: string,
    readonly dns: TestDnsServer,
  ) {}

  /** Free ports, and pebble validating HTTP-01 on the host's challenge port. */
  async prepare(): Promise<void> {
    for (const name of Object.keys(this.ports) as (keyof Install['ports'])[]) {
      this.ports[name] = await freePort();
    }
    this.pebble = await startPebble({ dnsServer: this.dns.address, httpPort: this.ports.http });
    this.issuingRoot = await this.pebble.issuingRoot();
  }

  get certFile(): string {
    return this.path('var/lib/mailwright/certs', MAIL_HOST, 'fullchain.pem');
  }

  /** The two commands of a fresh host, the second with the loopback settings. */
  install(extra: string[] = []): Promise<Run> {
    return run(
      join(this.code, 'deploy', 'install.sh'),
      [
        '--prefix',
        this.prefix,
        '--mail-host',
        MAIL_HOST,
        '--admin-email',
        ADMIN,
        '--acme-directory',
        this.pebble!.directoryUrl,
        '--acme-ca-file',
        this.pebble!.caFile,
        ...[
          `MAILWRIGHT_LISTEN=127.0.0.1:${this.ports.api}`,
          `MAILWRIGHT_HTTP_LISTEN=127.0.0.1:${this.ports.http}`,
          'MAILWRIGHT_MAIL_LISTEN=127.0.0.1',
          `MAILWRIGHT_MAIL_SMTP_PORT=${this.ports.smtp}`,
          `MAILWRIGHT_MAIL_SUBMISSION_PORT=${this.ports.submission}`,
          `MAILWRIGHT_MAIL_SUBMISSIONS_PORT=${this.ports.submissions}`,
          `MAILWRIGHT_MAIL_IMAP_PORT=${this.ports.imap}`,
          `MAILWRIGHT_MAIL_IMAPS_PORT=${this.ports.imaps}`,
          `MAILWRIGHT_DNS_SERVERS=${this.dns.address}`,
          // doctor's outbound-25 probe: this host's own MX, never a server beyond loopback.
          `MAILWRIGHT_DOCTOR_SMTP_PROBE=127.0.0.1:${this.ports.smtp}`,
        ].flatMap((line) => ['--set', line]),
        ...extra,
      ],
      { cwd: this.code },
    );
  }

  path(...parts: string[]): string {
    return join(this.prefix, ...parts);
  }

  /** The installed wrapper, as root (mailstack, doctor). */
  cli(args: string[], input?: string): Promise<Run> {
    return run(this.path('usr/local/bin/mailwright'), args, input === undefined ? {} : { input });
  }

  /** The installed wrapper as the mailwright user, as the guide runs account commands. */
  asMailwright(args: string[], input?: string): Promise<Run> {
    return run(
      'setpriv',
      [
        '--reuid',
        'mailwright',
        '--regid',
        'mailwright',
        '--init-groups',
        this.path('usr/local/bin/mailwright'),
        ...args,
      ],
      { cwd: '/', ...(input === undefined ? {} : { input }) },
    );
  }

  async doctor(): Promise<{
    report: DoctorReport;
    failed: string[];
    status: number | null;
    out: string;
  }> {
    const r = await this.cli(['--json', 'doctor']);
    const report = JSON.parse(r.out.slice(r.out.indexOf('{'))) as DoctorReport;
    return {
      report,
      failed: report.checks.filter((c) => !c.ok).map((c) => c.name),
      status: r.status,
      out: r.out,
    };
  }

  async stop(): Promise<void> {
    await this.cli(['mailstack', 'down']);
    const pidFile = this.path('run/mailwright/mailwright.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await this.pebble?.stop();
    await rm(this.prefix, { recursive: true, force: true });
  }

  tls() {
    return { ca: this.issuingRoot, servername: MAIL_HOST };
  }

  /** The certificate IMAPS presents, and whether it verifies against pebble's root. */
  imapsCertificate(): Promise<{ authorized: boolean; cert: PeerCertificate }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.ports.imaps, ...this.tls() }, () => {
        resolve({ authorized: socket.authorized, cert: socket.getPeerCertificate() });
        socket.end();
      }).on('error', reject);
    });
  }

  imap(user: { address: string; pass: string }): ImapFlow {
    return new ImapFlow({
      host: '127.0.0.1',
      port: this.ports.imaps,
      secure: true,
      tls: this.tls(),
      auth: { user: user.address, pass: user.pass },
      logger: false,
    });
  }

  /** The message with `subject` in `user`'s inbox over IMAPS, waiting for its delivery. */
  async fetch(user: { address: string; pass: string }, subject: string): Promise<string> {
    for (let i = 0; i < 60; i++) {
      const client = this.imap(user);
      await client.connect();
      try {
        const lock = await client.getMailboxLock('INBOX');
        try {
          const found = await client.search({ subject });
          const uid = Array.isArray(found) ? found[0] : undefined;
          if (uid !== undefined) {
            const message = await client.fetchOne(String(uid), { source: true });
            if (message && message.source) return message.source.toString();
          }
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${subject} never reached ${user.address}`);
  }
}

const modeOf = (path: string): string => {
  const s = statSync(path);
  const owner = (id: number, db: 'passwd' | 'group') =>
    execFileSync('getent', [db, String(id)], { encoding: 'utf8' }).split(':')[0];
  return `${owner(s.uid, 'passwd')}:${owner(s.gid, 'group')} ${(s.mode & 0o7777).toString(8).padStart(4, '0')}`;
};

/** Every installed file and directory with owner, mode and content: what a dry run must keep. */
function snapshot(prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  // What is inside these changes as the services run: the code, the run and log files, the
  // database (the job runner writes its heartbeat every 30 s), and the mail plane's queue,
  // state, maildirs, sockets and logs (its syslog.log takes what any process on the host sends
  // to /dev/log). Their own owner and mode count; the rendered configuration does too.
  const live = [
    'opt',
    'run',
    'var/log',
    'var/lib/mailwright/db',
    ...['spool', 'lib', 'mail', 'run', 'log'].map((d) => `var/lib/mailwright/mail-plane/${d}`),
  ].map((p) => join(prefix, p));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (live.some((l) => path.startsWith(`${l}/`))) continue;
      const s = lstatSync(path);
      out[path] = `${modeOf(path)} ${
        s.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : ''
      }`;
      if (s.isDirectory()) walk(path);
    }
  };
  walk(prefix);
  return out;
}

/** The names the env file sets more than once (a --set merged twice, or appended). */
function repeatedSettings(prefix: string): string[] {
  const names = readFileSync(join(prefix, 'etc/mailwright/mailwright.env'), 'utf8')
    .split('\n')
    .filter((line) => /^MAILWRIGHT_[A-Z0-9_]+=/.test(line))
    .map((line) => line.slice(0, line.indexOf('=')));
  return names.filter((name, i) => names.indexOf(name) !== i);
}

/** A second install.sh over `host` says so and leaves every installed file as it was. */
async function expectNothingChangedByRerun(host: Install): Promise<void> {
  const before = snapshot(host.prefix);
  const again = await host.install();
  expect(again.status, again.out).toBe(0);
  expect(again.out.trim()).toMatch(/^Nothing to change: /);
  expect(snapshot(host.prefix)).toEqual(before);
  expect(repeatedSettings(host.prefix)).toEqual([]);
}

let code: string;
let dns: TestDnsServer;
const prefixes: string[] = [];

beforeAll(async () => {
  dns = await startDnsServer();
  dns.setAddresses(MAIL_HOST, 'A', ['127.0.0.1']);
  dns.setPtr('127.0.0.1', MAIL_HOST);
  // The HELO name's SPF, as doctor asks of the mail host (docs/deployment.md §2).
  dns.setTxt(MAIL_HOST, ['v=spf1 a -all']);
  const checkouts = rootOwnedDir('mw-code-');
  prefixes.push(checkouts);
  code = cloneCheckout(checkouts);
}, 300_000);

afterAll(async () => {
  await dns?.close();
  for (const p of prefixes) await rm(p, { recursive: true, force: true });
});

describe('deploy/install.sh on a fresh host (no systemd)', () => {
  let host: Install;
  let first: Run;

  beforeAll(async () => {
    host = new Install(rootOwnedDir('mw-'), code, dns);
    await host.prepare();
    first = await host.install();
  }, 600_000);

  afterAll(async () => {
    await host?.stop();
  }, 60_000);

  it('installs, shows the first API token and console password once, and starts everything', async () => {
    expect(first.status, first.out).toBe(0);
    expect(first.out).toMatch(/✔ build /);
    expect(first.out).toMatch(/✔ create the account admin/);
    expect(first.out).toMatch(/API token for admin \(shown once/);
    expect(first.out).toMatch(new RegExp(`✔ create the console user ${ADMIN}`));
    expect(first.out).toMatch(/Password \(shown once/);
    expect(first.out).toMatch(
      new RegExp(`✔ obtain a certificate for ${MAIL_HOST} from https://127\\.0\\.0\\.1:\\d+/dir`),
    );
    expect(first.out).toMatch(
      /✔ start the API: \S+\/node --min-semi-space-size=64 --max-semi-space-size=64 \S+\/dist\/server\.js$/m,
    );
    expect(first.out).toMatch(
      /✔ start the mail plane: \S+\/node \S+\/dist\/cli\/main\.js mailstack up$/m,
    );
  });

  it('lays the host out with the ownership OpenDKIM, Postfix and Dovecot accept', async () => {
    const p = (path: string) => host.path(path);
    expect({
      etc: modeOf(p('etc/mailwright')),
      env: modeOf(p('etc/mailwright/mailwright.env')),
      wrapper: modeOf(p('usr/local/bin/mailwright')),
      unit: modeOf(p('etc/systemd/system/mailwright.service')),
      hook: modeOf(p('etc/letsencrypt/renewal-hooks/deploy/mailwright')),
      logrotate: modeOf(p('etc/logrotate.d/mailwright')),
      acmeCa: modeOf(p('etc/mailwright/acme-ca.pem')),
      certs: modeOf(p(`var/lib/mailwright/certs/${MAIL_HOST}`)),
      varLib: modeOf(p('var/lib')),
      data: modeOf(p('var/lib/mailwright')),
      db: modeOf(p('var/lib/mailwright/db')),
      secret: modeOf(p('var/lib/mailwright/secret.key')),
      dkim: modeOf(p('var/lib/mailwright-dkim')),
      backups: modeOf(p('var/backups/mailwright')),
    }).toEqual({
      etc: 'root:mailwright 0750',
      env: 'root:mailwright 0640',
      wrapper: 'root:root 0755',
      unit: 'root:root 0644',
      hook: 'root:root 0755',
      logrotate: 'root:root 0644',
      acmeCa: 'root:mailwright 0640',
      certs: 'mailwright:mailwright 0750',
      varLib: 'root:root 0755',
      data: 'mailwright:mailwright 0751',
      db: 'mailwright:postfix 2770',
      secret: 'mailwright:mailwright 0600',
      dkim: 'opendkim:opendkim 0700',
      backups: 'root:root 0700',
    });
    // The host name is written into the env file only (the host, its certificate's two files);
    // everything else reads it from there.
    const env = readFileSync(p('etc/mailwright/mailwright.env'), 'utf8');
    expect(env.match(/mx\.install\.test/g)).toEqual([MAIL_HOST, MAIL_HOST, MAIL_HOST]);
    // Each --set lands on its template line, once.
    expect(repeatedSettings(host.prefix)).toEqual([]);
    expect(env).toContain(`MAILWRIGHT_MAIL_TLS_CERT=${host.certFile}\n`);
    expect(env).toMatch(/^MAILWRIGHT_MAIL_HOST=mx\.install\.test$/m);
    expect(env).toMatch(new RegExp(`^MAILWRIGHT_POSTMASTER=${ADMIN}$`, 'm'));
    // The units run this checkout, with this prefix's env file and the certificate of the env file.
    const unit = readFileSync(p('etc/systemd/system/mailwright.service'), 'utf8');
    expect(unit).toContain(
      `ExecStart=/usr/bin/node --min-semi-space-size=64 --max-semi-space-size=64 ${code}/dist/server.js`,
    );
    expect(unit).toContain(`EnvironmentFile=${p('etc/mailwright/mailwright.env')}`);
    // The API reads (and renews) the built-in ACME client's files itself: no copies.
    expect(unit).toContain(
      `Environment=MAILWRIGHT_TLS_CERT=${host.certFile} MAILWRIGHT_TLS_KEY=${host.certFile.replace('fullchain', 'privkey')}`,
    );
    expect(unit).toContain(`ReadWritePaths=${p('var/lib/mailwright')}`);
    const settings = unit.split('\n').filter((line) => !line.startsWith('#'));
    expect(settings.filter((line) => line.startsWith('LoadCredential='))).toEqual([]);
    // Every path is this host's: under the prefix or the checkout, none of the template's.
    expect(settings.join('\n')).not.toMatch(/[=:\s]\/(etc|var|opt)\/|mx\.example\.net/);
  });

  it('serves the certificate pebble issued on IMAPS and STARTTLS', async () => {
    const issued = new X509Certificate(readFileSync(host.certFile));
    const imaps = await host.imapsCertificate();
    expect(imaps.authorized).toBe(true);
    expect(imaps.cert.fingerprint256).toBe(issued.fingerprint256);
    expect(imaps.cert.subjectaltname).toBe(`DNS:${MAIL_HOST}`);
    // STARTTLS on the SMTP port, verified against pebble's root (rejectUnauthorized).
    const mx = nodemailer.createTransport({
      host: '127.0.0.1',
      port: host.ports.smtp,
      requireTLS: true,
      tls: host.tls(),
      name: 'sender.test',
    });
    expect(await mx.verify()).toBe(true);
    mx.close();
  });

  it('has mailstack status report the env file’s ports, as the units use them', async () => {
    const status = await host.cli(['mailstack', 'status']);
    expect(status.status, status.out).toBe(0);
    const { smtp, submission, submissions, imap, imaps } = host.ports;
    expect(status.out).toContain(
      `SMTP 127.0.0.1:${smtp}, submission ${submission}, IMAP ${imap}, submissions ${submissions}, IMAPS ${imaps};`,
    );
  });

  it('adds the first domain and mailboxes through DNS, then delivers, serves and signs mail', async () => {
    const added = await host.asMailwright(['--json', 'domain', 'add', DOMAIN]);
    expect(added.status, added.out).toBe(0);
    const { verification } = JSON.parse(added.out) as {
      verification: { host: string; value: string };
    };
    dns.setTxt(verification.host, [verification.value]);
    const verified = await host.asMailwright(['domain', 'verify', DOMAIN]);
    expect(verified.status, verified.out).toBe(0);
    expect(verified.out).toMatch(/its TXT record was found/);
    for (const [user, name] of [
      [OLIVE, 'Olive Penn'],
      [JO, 'Jo Reader'],
    ] as const) {
      const local = user.address.split('@')[0]!;
      const r = await host.asMailwright(
        [
          'mailbox',
          'add',
          '--name',
          name,
          '--local',
          local,
          '--domain',
          DOMAIN,
          '--password-stdin',
        ],
        `${user.pass}\n`,
      );
      expect(r.status, r.out).toBe(0);
    }
    // The records the guide has you publish, DKIM key included, served by "your DNS host".
    const plan = JSON.parse((await host.asMailwright(['--json', 'domain', 'dns', DOMAIN])).out) as {
      records: { type: 'TXT' | 'MX' | 'CNAME' | 'SRV'; host: string; value: string }[];
    };
    dns.publish(plan.records);
    const sync = await host.cli(['mailstack', 'sync']);
    expect(sync.status, sync.out).toBe(0);
    expect(sync.out).toMatch(/✔ signing keys updated \(1 keys\)/);

    // Inbound on the SMTP port, with STARTTLS and the certificate of the env file.
    const mx = nodemailer.createTransport({
      host: '127.0.0.1',
      port: host.ports.smtp,
      requireTLS: true,
      tls: host.tls(),
      name: 'sender.test',
    });
    await mx.sendMail({
      from: 'someone@sender.test',
      to: OLIVE.address,
      subject: 'inbound over STARTTLS',
      text: 'Hello Olive.',
    });
    expect(await host.fetch(OLIVE, 'inbound over STARTTLS')).toMatch(/Hello Olive\./);

    // Submission with AUTH on 587 after STARTTLS and on 465 in TLS from the first byte, each
    // signed by OpenDKIM and fetched over IMAPS.
    const resolver = new Resolver();
    resolver.setServers([dns.address]);
    for (const [port, secure] of [
      [host.ports.submission, false],
      [host.ports.submissions, true],
    ] as const) {
      const submission = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure,
        requireTLS: true,
        tls: host.tls(),
        auth: { user: OLIVE.address, pass: OLIVE.pass },
      });
      const subject = `submitted on ${secure ? '465' : '587'} and signed`;
      await submission.sendMail({
        from: OLIVE.address,
        to: JO.address,
        subject,
        text: 'Hello Jo.',
      });
      submission.close();
      const message = await host.fetch(JO, subject);
      expect(message).toMatch(/^DKIM-Signature: .*d=example\.test;/m);
      // Verified as a receiver would: the key from the DNS server the records were published to.
      const { results } = await dkimVerify(Buffer.from(message.replace(/\r?\n/g, '\r\n')), {
        resolver: async (name: string, type: string) =>
          (await resolver.resolve(name, type)) as string[][],
      });
      expect(
        results.map((r) => `${r.signingDomain} ${r.status.result}`),
        subject,
      ).toEqual([`${DOMAIN} pass`]);
    }
  }, 300_000);

  it('passes every doctor check', async () => {
    const { report, failed, out } = await host.doctor();
    expect(failed, out).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('changes nothing on a second run, and says so', async () => {
    await expectNothingChangedByRerun(host);
  }, 300_000);

  it('lists what a dry run would change and changes nothing', async () => {
    const logrotate = host.path('etc/logrotate.d/mailwright');
    writeFileSync(logrotate, `${readFileSync(logrotate, 'utf8')}# edited by hand\n`);
    const before = snapshot(host.prefix);
    const dry = await host.install(['--dry-run', '--set', 'MAILWRIGHT_LOG_LEVEL=warn']);
    expect(dry.status, dry.out).toBe(0);
    expect(dry.out.trim().split('\n')).toEqual([
      `would: write ${host.path('etc/mailwright/mailwright.env')} (root:mailwright 0640)`,
      `would: write ${logrotate} (root:root 0644)`,
      'would: restart the API (new code or configuration)',
      'would: restart the mail plane (new code or configuration)',
      'Dry run: 4 change(s) listed above, none made.',
    ]);
    expect(snapshot(host.prefix)).toEqual(before);

    const repair = await host.install();
    expect(repair.status, repair.out).toBe(0);
    expect(repair.out).toContain(`✔ write ${logrotate} (root:root 0644)`);
    expect(repair.out).toMatch(/^Done: 1 change\(s\)\./m);
  }, 300_000);

  /**
   * One planted fault turns exactly its doctor line ✘, with its fix, and doctor exits 1; every
   * other line stays ✔. `undo` takes the fault away before the next is planted, and doctor is
   * all ✔ again.
   */
  async function onlyLineFails(
    line: string,
    fix: RegExp,
    plant: () => unknown,
    undo: () => unknown,
  ): Promise<void> {
    await plant();
    try {
      const { report, failed, status, out } = await host.doctor();
      expect(failed, out).toEqual([line]);
      expect(report.checks.find((c) => c.name === line)!.fix).toMatch(fix);
      expect(status).toBe(1);
      // The operator's view: one ✘ line, and its fix under it.
      const plain = await host.cli(['doctor']);
      expect(plain.out.split('\n').filter((l) => l.startsWith('✘ '))).toEqual([
        expect.stringMatching(new RegExp(`^✘ ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `)),
      ]);
      expect(plain.out).toMatch(/^ +fix: /m);
    } finally {
      await undo();
    }
    const healed = await host.doctor();
    expect(healed.failed, healed.out).toEqual([]);
  }

  it('turns exactly the doctor line of a group-writable key directory ✘', async () => {
    const dir = host.path('var/lib/mailwright-dkim');
    const before = statSync(dir);
    const shared = Number(
      execFileSync('getent', ['group', 'mailwright'], { encoding: 'utf8' }).split(':')[2],
    );
    await onlyLineFails(
      'dkim-key-directory',
      /mailstack sync/,
      () => {
        chownSync(dir, before.uid, shared);
        chmodSync(dir, 0o770);
      },
      () => {
        chownSync(dir, before.uid, before.gid);
        chmodSync(dir, 0o700);
      },
    );
  });

  it('turns exactly the dovecot line ✘ when Dovecot stops, and a re-run starts it again', async () => {
    const conf = host.path('var/lib/mailwright/mail-plane/etc/dovecot/dovecot.conf');
    await onlyLineFails(
      'dovecot',
      /^Start it: mailwright mailstack up/,
      () => execFileSync('doveadm', ['-c', conf, 'stop']),
      async () => {
        const again = await host.install();
        expect(again.status, again.out).toBe(0);
        expect(again.out).toMatch(/^✔ start the mail plane: /m);
      },
    );
  }, 300_000);

  it('turns exactly the certificate line ✘ when the mail host’s certificate is about to expire', async () => {
    const issued = readFileSync(host.certFile);
    await onlyLineFails(
      `certificate:${host.certFile}`,
      /^Renew it: mailwright cert renew/,
      // As pebble's certificate would look with renewal failing for weeks: days left, same name.
      () => writeFileSync(host.certFile, certificate(MAIL_HOST, 5).cert),
      () => writeFileSync(host.certFile, issued),
    );
  });

  it('turns exactly the ptr line ✘ when the reverse DNS names another host', async () => {
    await onlyLineFails(
      'ptr',
      /set its reverse DNS \(PTR\) to mx\.install\.test/,
      () => dns.setPtr('127.0.0.1', 'host-127-0-0-1.provider.example'),
      () => dns.setPtr('127.0.0.1', MAIL_HOST),
    );
  });
});

/**
 * The documented upgrade: a host whose data an older release wrote (its own CLI, the layout of
 * the guide of its day), then `git checkout` of the new ref and install.sh again. Data stays, the
 * schema migrates, the old password still logs in.
 */
describe('deploy/install.sh over an older release’s data (upgrade)', () => {
  let host: Install;
  let older: string;
  let migrationsBefore: number;
  let upgrade: Run;

  const migrations = (db: string) =>
    Number(
      execFileSync('sqlite3', [
        '-readonly',
        db,
        'select count(*) from kysely_migration',
      ]).toString(),
    );

  beforeAll(async () => {
    const prefix = rootOwnedDir('mw-up-');
    // A clone of the first clone: the same HEAD, whose build is reused when it was made.
    const clone = cloneCheckout(prefix, code);
    for (const dir of ['dist', 'web/dist']) {
      if (existsSync(join(code, dir)))
        execFileSync('cp', ['-al', join(code, dir), join(clone, dir)]);
    }
    host = new Install(prefix, clone, dns);
    await host.prepare();
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8' }).trim();
    const head = git('rev-parse', 'HEAD');
    // The release before the newest migration.
    older = git(
      'rev-parse',
      `${git('log', '-1', '--format=%H', '--', 'src/store/migrations/index.ts')}^`,
    );
    git('checkout', '-q', older);

    // The older release's hand-made layout and its first commands, as the mailwright user.
    const data = host.path('var/lib/mailwright');
    execFileSync('install', ['-d', '-m', '0755', host.path('var'), host.path('var/lib')]);
    execFileSync('install', ['-d', '-o', 'mailwright', '-g', 'mailwright', '-m', '0751', data]);
    execFileSync('install', [
      '-d',
      '-o',
      'mailwright',
      '-g',
      'postfix',
      '-m',
      '2770',
      join(data, 'db'),
    ]);
    const oldCli = (args: string[], input?: string) => {
      const r = spawnSync(
        'setpriv',
        [
          '--reuid',
          'mailwright',
          '--regid',
          'mailwright',
          '--init-groups',
          process.execPath,
          '--import',
          'tsx',
          join(clone, 'src/cli/main.ts'),
          ...args,
        ],
        {
          cwd: clone,
          encoding: 'utf8',
          input,
          env: {
            PATH: process.env.PATH,
            MAILWRIGHT_DATA_DIR: data,
            MAILWRIGHT_DATABASE_URL: `sqlite:${data}/db/mailwright.db`,
            MAILWRIGHT_MAIL_HOST: MAIL_HOST,
          },
        },
      );
      expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    };
    oldCli(['account', 'create', 'admin']);
    oldCli(['--account', 'admin', 'domain', 'add', DOMAIN]);
    oldCli(['--account', 'admin', 'domain', 'verify', DOMAIN, '--manual']);
    oldCli(
      [
        '--account',
        'admin',
        'mailbox',
        'add',
        '--name',
        'Olive Penn',
        '--local',
        'olive',
        '--domain',
        DOMAIN,
        '--password-stdin',
      ],
      `${OLIVE.pass}\n`,
    );
    migrationsBefore = migrations(join(data, 'db/mailwright.db'));

    git('checkout', '-q', head);
    upgrade = await host.install();
  }, 600_000);

  afterAll(async () => {
    await host?.stop();
  }, 60_000);

  it('keeps the account and mailbox, adds what is missing and migrates the schema', async () => {
    expect(upgrade.status, upgrade.out).toBe(0);
    expect(upgrade.out).not.toMatch(/create the account/);
    expect(upgrade.out).toMatch(new RegExp(`✔ create the console user ${ADMIN}`));
    const db = host.path('var/lib/mailwright/db/mailwright.db');
    // Applied at the start of the new release; doctor's `migrations` line says they are all.
    expect(migrations(db)).toBeGreaterThan(migrationsBefore);

    const list = await host.asMailwright(['--json', 'mailbox', 'list']);
    expect(list.out).toContain(OLIVE.address);
    // Dovecot reads the migrated database: the password set by the older release logs in.
    const client = host.imap(OLIVE);
    await client.connect();
    await client.logout();
    expect((await host.doctor()).failed).toEqual([]);
  }, 300_000);

  it('changes nothing when run again after the upgrade, and says so', async () => {
    await expectNothingChangedByRerun(host);
  }, 300_000);
});
