import { X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS } from '../store/migrations/index.js';
import { openStore, type Store } from '../store/database.js';
import { latestHeartbeat } from '../store/runner-heartbeats.js';
import type { Database } from '../store/schema.js';
import { opendkimPaths, renderSigningTables } from '../mailstack/opendkim.js';
import { accepts, status } from '../mailstack/stack.js';
import { lastSyslogLine } from '../mailstack/syslog-catcher.js';
import type { MailPlaneSettings } from '../mailstack/settings.js';
import { signingKeys } from '../services/dns-records/signing-keys.js';
import { CERTIFICATE_MIN_DAYS_LEFT, daysLeft } from '../core/certificates.js';
import {
  RUNNER_HEARTBEAT_SECONDS,
  RUNNER_SILENT_AFTER_SECONDS,
  secondsSince,
} from '../core/runner-heartbeat.js';
import { certificatesDir, listCertificates } from '../certificates/certificate-store.js';
import type { Config } from './config.js';
import { hostProbes, type Fail, type Pass } from './doctor-probes.js';
import { openContext } from './open-context.js';

/**
 * `mailwright doctor`: what a new host's administrator would otherwise find by hand, one line
 * per check with the fix. Reads only: it never migrates, starts or writes anything.
 */

export interface DoctorCheck {
  /** Stable, for monitoring (`--json`): `database`, `dovecot`, `certificate:<file>`, … */
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about it; only on a failed check. */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export async function doctor(
  config: Config,
  s: MailPlaneSettings,
  clock: () => Date = () => new Date(),
): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const pass = (name: string, detail: string) => checks.push({ name, ok: true, detail });
  const fail = (name: string, detail: string, fix: string) =>
    checks.push({ name, ok: false, detail, fix });

  const migrated = await databaseChecks(config, clock(), pass, fail);
  await mailPlaneChecks(s, pass, fail);
  if (migrated) await keysMatch(config, s, pass, fail);
  for (const c of await certificatesToCheck(config, s.mailHost)) {
    await certificateCheck(c, clock(), pass, fail);
  }
  await hostProbes(config, s, clock, pass, fail);
  return { ok: checks.every((c) => c.ok), checks };
}

interface CertificateToCheck {
  what: string;
  file: string;
  /** The name it must cover, if any. */
  mustName?: string;
  renew: string;
}

/** The configured certificate files, then those of the ACME store no variable names. */
async function certificatesToCheck(
  config: Config,
  mailHost: string,
): Promise<CertificateToCheck[]> {
  const store = certificatesDir(config.dataDir);
  const renew = (what: string, file: string) =>
    file.startsWith(`${store}/`)
      ? 'Renew it: mailwright cert renew (as root; it reloads the mail servers and says why a renewal fails).'
      : `Renew it (certbot renew; the deploy hook reloads the ${what}).`;
  const configured: CertificateToCheck[] = [];
  if (config.mailTls) {
    const file = config.mailTls.certFile;
    configured.push({
      what: 'mail servers',
      file,
      mustName: mailHost,
      renew: renew('mail servers', file),
    });
  }
  if (config.tls) {
    configured.push({
      what: 'API',
      file: config.tls.certFile,
      renew: renew('API', config.tls.certFile),
    });
  }
  const files = new Set(configured.map((c) => c.file));
  const stored = (await listCertificates(config.dataDir))
    .filter((c) => !files.has(c.fullchain))
    .map((c) => ({
      what: `host ${c.name}`,
      file: c.fullchain,
      mustName: c.name,
      renew: renew(c.name, c.fullchain),
    }));
  return [...configured, ...stored];
}

/** Returns whether the schema is current (the checks that need the services can then run). */
async function databaseChecks(config: Config, now: Date, pass: Pass, fail: Fail): Promise<boolean> {
  let store: Store;
  try {
    store = openStore(config.databaseUrl);
  } catch (error) {
    fail('database', (error as Error).message, 'Fix MAILWRIGHT_DATABASE_URL.');
    return false;
  }
  try {
    try {
      await sql`select 1`.execute(store.db);
    } catch (error) {
      fail(
        'database',
        `not reachable: ${(error as Error).message}`,
        'Start the database server, or fix MAILWRIGHT_DATABASE_URL.',
      );
      return false;
    }
    pass('database', `reachable (${store.dialect})`);
    const applied = await sql<{ name: string }>`select name from kysely_migration`
      .execute(store.db)
      .then((r) => new Set(r.rows.map((row) => row.name)))
      .catch(() => new Set<string>());
    const missing = MIGRATIONS.map(([name]) => name).filter((name) => !applied.has(name));
    if (missing.length > 0) {
      fail(
        'migrations',
        `${missing.length} of ${MIGRATIONS.length} not applied (first: ${missing[0]})`,
        'Start the API (systemctl start mailwright) or run any mailwright command: migrations run at start.',
      );
      return false;
    }
    pass('migrations', `all ${MIGRATIONS.length} applied`);
    await jobRunnerCheck(store.db, now, config.jobLeaseSeconds, pass, fail);
    return true;
  } finally {
    await store.close();
  }
}

/**
 * The job runner is alive when some runner sharing the database wrote a heartbeat lately, and
 * working when no due job waits unclaimed for longer than a lease.
 */
export async function jobRunnerCheck(
  db: Kysely<Database>,
  now: Date,
  leaseSeconds: number,
  pass: Pass,
  fail: Fail,
): Promise<void> {
  const fix =
    'Start the API, which runs the job runner: systemctl start mailwright (without systemd: re-run deploy/install.sh); its log: journalctl -u mailwright.';
  const beat = await latestHeartbeat(db);
  if (!beat) {
    fail('job-runner', 'no job runner has ever written a heartbeat to this database', fix);
    return;
  }
  const silent = secondsSince(new Date(beat.beat_at), now);
  if (silent > RUNNER_SILENT_AFTER_SECONDS) {
    fail(
      'job-runner',
      `no heartbeat for ${silent} s (last: ${beat.runner_id} at ${beat.beat_at}; a running one beats every ${RUNNER_HEARTBEAT_SECONDS} s)`,
      fix,
    );
    return;
  }
  // A runner claims a due job within seconds; one waiting longer than a lease has no runner.
  const stale = new Date(now.getTime() - (leaseSeconds + 60) * 1000).toISOString();
  const waiting = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['queued', 'running'])
    .where('created_at', '<', stale)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', stale)]))
    .where((eb) => eb.or([eb('next_run_at', 'is', null), eb('next_run_at', '<', stale)]))
    .executeTakeFirstOrThrow();
  if (Number(waiting.n) > 0) {
    fail(
      'job-runner',
      `alive (${beat.runner_id}), but ${waiting.n} job(s) due for more than ${leaseSeconds + 60} s and claimed by no runner`,
      'Restart the API: systemctl restart mailwright; its log: journalctl -u mailwright.',
    );
  } else {
    pass('job-runner', `alive: ${beat.runner_id} beat ${Math.max(0, silent)} s ago`);
  }
}

async function mailPlaneChecks(s: MailPlaneSettings, pass: Pass, fail: Fail): Promise<void> {
  const st = await status(s);
  const hosts = s.listen.split(',').map((h) => h.trim());
  const daemon = async (
    name: 'postfix' | 'dovecot' | 'opendkim' | 'fromCheck' | 'policy' | 'postsrsd',
    ports: number[],
    fix: string,
  ) => {
    const p = st[name];
    if (!p.running) {
      fail(name, 'not running', fix);
      return;
    }
    const silent: string[] = [];
    for (const host of hosts) {
      for (const port of ports) {
        if (!(await accepts(host, port))) silent.push(`${host}:${port}`);
      }
    }
    if (silent.length > 0) {
      fail(
        name,
        `running (pid ${p.pid}) but nothing answers on ${silent.join(', ')}`,
        `${fix} Check that no other program holds the port: ss -ltnp.`,
      );
    } else {
      const where = ports.length > 0 ? `, answering on ${ports.join(', ')}` : '';
      pass(name, `running (pid ${p.pid})${where}`);
    }
  };
  const up = 'Start it: mailwright mailstack up (systemctl restart mailwright-mailstack).';
  const log = (file: string) => ` Its log: ${join(s.dirs.log, file)}.`;
  await daemon(
    'postfix',
    [s.ports.smtp, s.ports.submission, ...(s.tls ? [s.ports.submissions] : [])],
    up + log('postfix.log'),
  );
  await daemon(
    'dovecot',
    [s.ports.imap, ...(s.tls ? [s.ports.imaps] : [])],
    up + log('dovecot.log'),
  );
  await daemon('opendkim', [], up + log('opendkim-start.log'));
  await daemon('fromCheck', [], up + log('from-check.log'));
  await daemon('policy', [], up + log('policy.log'));
  await daemon('postsrsd', [], up + log('postsrsd-start.log'));
  const keys = st.signingKeys;
  if (keys.problem === null) {
    pass('dkim-key-directory', `${keys.directory}: OpenDKIM accepts it`);
  } else {
    // The rule's message names the directory at fault and ends with the fix; OpenDKIM's own
    // words, where the stack caught them, show whether it has refused a key already.
    const said = await lastSyslogLine(s, 'opendkim', 'key data is not secure');
    fail(
      'dkim-key-directory',
      said === null ? keys.problem : `${keys.problem} OpenDKIM logged: ${said}`,
      'Then: mailwright mailstack sync.',
    );
  }
}

/** The keys OpenDKIM signs with are those the database says should sign, byte for byte. */
async function keysMatch(
  config: Config,
  s: MailPlaneSettings,
  pass: Pass,
  fail: Fail,
): Promise<void> {
  const fix = 'Run mailwright mailstack sync (the sync timer does it every 5 minutes).';
  let expected: Map<string, string>;
  const { ctx, close } = await openContext(config);
  try {
    expected = renderSigningTables(s, await signingKeys(ctx)).keyFiles;
  } catch (error) {
    fail('dkim-keys', `cannot read the keys from the database: ${(error as Error).message}`, fix);
    return;
  } finally {
    await close();
  }
  const dir = opendkimPaths(s).keys;
  const onDisk = new Set(await readdir(dir).catch(() => [] as string[]));
  const wrong: string[] = [];
  for (const [file, pem] of expected) {
    const content = await readFile(join(dir, file), 'utf8').catch(() => null);
    if (content === null) wrong.push(`${file} missing`);
    else if (content !== pem) wrong.push(`${file} differs`);
  }
  for (const file of onDisk) if (!expected.has(file)) wrong.push(`${file} signs no more`);
  if (wrong.length > 0) fail('dkim-keys', wrong.join('; '), fix);
  else pass('dkim-keys', `${expected.size} key(s) on disk, as in the database`);
}

async function certificateCheck(
  { what, file, mustName, renew }: CertificateToCheck,
  now: Date,
  pass: Pass,
  fail: Fail,
): Promise<void> {
  const name = `certificate:${file}`;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(await readFile(file));
  } catch (error) {
    fail(name, `cannot read it: ${(error as Error).message}`, renew);
    return;
  }
  const notAfter = new Date(cert.validTo);
  const left = daysLeft(notAfter, now);
  const subject = `for the ${what}, valid until ${notAfter.toISOString()}`;
  if (new Date(cert.validFrom) > now) {
    fail(name, `${subject}, not valid before ${cert.validFrom}`, 'Check the host’s clock.');
  } else if (left < 0) {
    fail(name, `${subject}: expired`, renew);
  } else if (left < CERTIFICATE_MIN_DAYS_LEFT) {
    fail(name, `${subject}: ${left} day(s) left`, renew);
  } else if (mustName && cert.checkHost(mustName) === undefined) {
    fail(name, `${subject}, but not for ${mustName}`, `Obtain one that names ${mustName} (§7).`);
  } else {
    pass(name, `${subject} (${left} days left)`);
  }
}
