import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, chown, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { argon2MemoryFile, buildArgon2Memory } from './argon2-memory.js';
import { checkKeyDirectory, type Signer } from './key-safety.js';
import { FROM_CHECK_PYTHON, fromCheckPaths } from './from-check.js';
import { opendkimPaths } from './opendkim.js';
import { SYSLOG_SOCKET, syslogCatcherPaths } from './syslog-catcher.js';
import { postsrsdArgs, postsrsdPaths, prepareSrs } from './postsrsd.js';
import { readRelayLogins } from './relay-login.js';
import { type SigningKey } from '../core/dkim-key.js';
import {
  directTable,
  dovecotConfigFile,
  policyDir,
  quotaWarningsDir,
  postfixDir,
  renderMailPlane,
  RETIRED_FILES,
  socketPaths,
} from './render.js';
import type { MailPlaneSettings } from './settings.js';
import { writeSigningKeys } from './write-signing-keys.js';
import { writeConfig } from './write-config.js';

const run = promisify(execFile);

/**
 * Starting and stopping the private Postfix and Dovecot instances of the mail plane: their own
 * config, queue, state and logs under `<data dir>/mail-plane`, on their own ports. The system-wide
 * setup is never changed (Postfix reads only its package's meta files from /etc/postfix:
 * postfix-files, dynamicmaps.cf). As root, `postfix -c DIR` needs no
 * `alternate_config_directories` (Postfix checks it only for unprivileged callers) and passes
 * the directory to its daemons as MAIL_CONFIG, which the default `import_environment` keeps.
 */

export interface ProcessStatus {
  running: boolean;
  pid: number | null;
}

export interface StackStatus {
  postfix: ProcessStatus;
  dovecot: ProcessStatus;
  opendkim: ProcessStatus;
  /** The milter refusing a From header that is not an address of the login. */
  fromCheck: ProcessStatus;
  /** Mailwright's sending-limit policy service. */
  policy: ProcessStatus;
  /** The SRS tables of forwarded mail. */
  postsrsd: ProcessStatus;
  /** Takes syslog's lines (OpenDKIM's) into a file; not running where a syslog daemon does. */
  syslogCatcher: ProcessStatus;
  /**
   * Where OpenDKIM's keys are, and why it would refuse them (null: it accepts them). OpenDKIM
   * itself tells only syslog, at the first message it cannot sign.
   */
  signingKeys: { directory: string; problem: string | null };
}

export const postfixPidFile = (s: MailPlaneSettings): string =>
  join(s.dirs.queue, 'pid', 'master.pid');
export const dovecotPidFile = (s: MailPlaneSettings): string =>
  join(s.dirs.run, 'dovecot', 'master.pid');
export const policyPidFile = (s: MailPlaneSettings): string => join(policyDir(s), 'policy.pid');

/**
 * How to start the policy service: a Mailwright process (`mailwright mailstack policy-server`)
 * that the mail stack knows only as a command. It runs as the data dir's owner (the account the
 * API runs as) with Postfix's group, which the socket and, with SQLite, the database share.
 */
export interface PolicyServerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The three servers' main processes, from their pid files, and whether OpenDKIM takes its keys. */
export async function status(s: MailPlaneSettings): Promise<StackStatus> {
  const directory = opendkimPaths(s).keys;
  const signer = await signerAccount(s).catch((error: Error) => error);
  return {
    postfix: await processStatus(postfixPidFile(s)),
    dovecot: await processStatus(dovecotPidFile(s)),
    opendkim: await processStatus(opendkimPaths(s).pidFile),
    fromCheck: await processStatus(fromCheckPaths(s).pidFile),
    policy: await processStatus(policyPidFile(s)),
    postsrsd: await processStatus(postsrsdPaths(s).pidFile),
    syslogCatcher: await processStatus(syslogCatcherPaths(s).pidFile),
    signingKeys: {
      directory,
      problem:
        signer instanceof Error ? signer.message : await checkKeyDirectory(directory, signer),
    },
  };
}

/** The account OpenDKIM runs as (its `UserID`), which owns the keys. */
async function signerAccount(s: MailPlaneSettings): Promise<Signer & { gid: number }> {
  const entry = await lookup('passwd', s.users.opendkim);
  if (entry === null) throw new Error(`The mail plane needs the system user ${s.users.opendkim}.`);
  return { name: s.users.opendkim, uid: Number(entry[2]), gid: Number(entry[3]) };
}

const needRoot = (what: string): void => {
  if (process.getuid?.() !== 0) {
    throw new Error(`${what} needs root (the mail servers drop to their own accounts).`);
  }
};

/**
 * Renders the configuration, writes the signing keys, and starts whichever instance is not
 * running yet: OpenDKIM and Dovecot first, since Postfix connects to their sockets. Needs root:
 * each server's main process starts as root and drops to its own account.
 */
export async function up(
  s: MailPlaneSettings,
  keys: SigningKey[],
  policyServer?: PolicyServerCommand,
): Promise<StackStatus> {
  needRoot('Starting the mail servers');
  const ids = await ensureAccounts(s);
  await prepareDirectories(s, ids);
  if (s.dialect === 'sqlite') await shareDatabase(s, ids.databaseGid);
  await renderConfig(s);
  await writeSigningKeys(s, keys, await signerAccount(s));
  await prepareSrs(s);

  // Creates the queue's layout, private/ included, where Dovecot puts the sockets Postfix uses.
  await run('postfix', ['-c', postfixDir(s), 'check']);
  const before = await status(s);
  if (!before.syslogCatcher.running) {
    const p = syslogCatcherPaths(s);
    await launchDetached(
      s,
      'syslog-catcher',
      p.pidFile,
      { uid: 0, gid: 0 },
      { command: FROM_CHECK_PYTHON, args: [p.script, SYSLOG_SOCKET, p.log], env: {} },
    );
  }
  if (!before.opendkim.running) {
    await launch(s, 'opendkim', ['-x', opendkimPaths(s).config]);
  }
  if (!before.dovecot.running) {
    await launch(s, 'dovecot', ['-c', dovecotConfigFile(s)]);
  }
  if (!before.postsrsd.running) {
    await launch(s, 'postsrsd', postsrsdArgs(s));
  }
  const sockets = socketPaths(s);
  // Without it Postfix defers every submitted message (milter_default_action = tempfail). It runs
  // as the data dir's owner with the database's group, which reads the senders table and,
  // with SQLite, the database; the socket takes Postfix's group from its directory.
  if (!before.fromCheck.running) {
    const p = fromCheckPaths(s);
    // A socket left by a process that died would pass the wait below before the new one listens.
    await rm(p.socket, { force: true });
    await launchDetached(
      s,
      'from-check',
      p.pidFile,
      { uid: ids.dataDirUid, gid: ids.databaseGid },
      {
        command: FROM_CHECK_PYTHON,
        args: [p.script, p.socket, postfixDir(s), directTable(s, 'mail_senders')],
        env: {},
      },
    );
  }
  await waitFor('the Dovecot, OpenDKIM and From check sockets', () =>
    allExist([sockets.lmtp, sockets.auth, sockets.quotaStatus, sockets.dkim, sockets.fromCheck]),
  );
  // Without it Postfix defers every submitted recipient (smtpd_policy_service_default_action).
  if (policyServer && !before.policy.running) {
    await launchDetached(
      s,
      'policy',
      policyPidFile(s),
      { uid: ids.dataDirUid, gid: ids.postfixGid },
      // The port Dovecot reports logins to is this rendering's (no variable of its own).
      {
        ...policyServer,
        args: [...policyServer.args, '--auth-policy-port', String(s.ports.authPolicy)],
      },
    );
    await waitFor('the policy service sockets', () =>
      allExist([sockets.policy, sockets.quotaWarnings]),
    );
  }
  if (!before.postfix.running) {
    await launch(s, 'postfix', ['-c', postfixDir(s), 'start']);
  }
  const host = s.listen.split(',')[0]!.trim();
  for (const port of [s.ports.srsForward, s.ports.srsReverse]) {
    await waitFor(`postsrsd on 127.0.0.1:${port}`, () => accepts('127.0.0.1', port));
  }
  for (const port of [
    s.ports.smtp,
    s.ports.submission,
    s.ports.imap,
    ...(s.tls ? [s.ports.imaps, s.ports.submissions] : []),
  ]) {
    await waitFor(`${host}:${port}`, () => accepts(host, port));
  }
  return status(s);
}

/**
 * Writes the signing keys of `keys` and, when they changed and OpenDKIM runs, makes it reload
 * them (SIGUSR1 re-reads its configuration and tables). Run after DKIM keys are added, rotated
 * or retired; cheap when nothing changed.
 */
export async function sync(
  s: MailPlaneSettings,
  keys: SigningKey[],
): Promise<{ changed: boolean }> {
  needRoot('Writing the signing keys');
  const changed = await writeSigningKeys(s, keys, await signerAccount(s));
  const signer = (await status(s)).opendkim;
  if (changed && signer.running && signer.pid !== null) process.kill(signer.pid, 'SIGUSR1');
  return { changed };
}

/** Stops every instance; a main process that outlives its stop command is killed by its pid. */
export async function down(s: MailPlaneSettings): Promise<StackStatus> {
  const before = await status(s);
  if (before.postfix.running) {
    await run('postfix', ['-c', postfixDir(s), 'stop']).catch(() => undefined);
  }
  if (before.dovecot.running) {
    await run('doveadm', ['-c', dovecotConfigFile(s), 'stop']).catch(() => undefined);
  }
  const others = [
    before.opendkim,
    before.fromCheck,
    before.policy,
    before.postsrsd,
    before.syslogCatcher,
  ];
  for (const p of others) {
    if (p.running && p.pid !== null) process.kill(p.pid, 'SIGTERM');
  }
  for (const p of [before.postfix, before.dovecot, ...others]) {
    if (p.pid === null || !p.running) continue;
    const pid = p.pid;
    const gone = await waitFor('exit', async () => !alive(pid), 10_000).then(
      () => true,
      () => false,
    );
    if (!gone) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
  }
  return status(s);
}

/**
 * Writes the configuration to `dir` (by default where the servers read it). Dovecot's uid range
 * is pinned to the maildir owner when that account exists already, the data dir's owner
 * (the API's account) may flush Dovecot's auth cache, and the relay's login is copied from its
 * file (refused when others may read it). The auth workers' preloaded library is built beside
 * it (argon2-memory.ts).
 */
export async function renderConfig(s: MailPlaneSettings, dir = s.dirs.config): Promise<string[]> {
  const vmail = await lookup('passwd', s.users.vmail);
  const owner = await stat(dirname(s.dirs.base)).then(
    (st) => (st.uid === 0 ? null : lookup('passwd', String(st.uid))),
    () => null,
  );
  const written = await writeConfig(
    dir,
    renderMailPlane(s, {
      ...(vmail ? { vmailUid: Number(vmail[2]) } : {}),
      ...(owner ? { apiUser: owner[0]! } : {}),
      ...(s.relayPasswordFile
        ? { relayLogins: await readRelayLogins(s.relayPasswordFile, s.relayHost) }
        : {}),
    }),
    RETIRED_FILES,
  );
  const argon2Memory = argon2MemoryFile(s, dir);
  await buildArgon2Memory(argon2Memory);
  return [...written, argon2Memory];
}

interface Ids {
  vmailUid: number;
  vmailGid: number;
  postfixUid: number;
  postfixGid: number;
  databaseGid: number;
  opendkimUid: number;
  /** The data dir's owner: the account the API runs as, and the policy service too. */
  dataDirUid: number;
}

/** Postfix's and Dovecot's accounts come with their packages; the maildir owner is created here. */
async function ensureAccounts(s: MailPlaneSettings): Promise<Ids> {
  if ((await lookup('passwd', s.users.vmail)) === null) {
    if ((await lookup('group', s.users.vmailGroup)) === null) {
      await run('groupadd', ['--system', s.users.vmailGroup]);
    }
    await run('useradd', [
      '--system',
      '--gid',
      s.users.vmailGroup,
      '--home-dir',
      '/nonexistent',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      s.users.vmail,
    ]);
  }
  const need = async (db: 'passwd' | 'group', name: string): Promise<string[]> => {
    const entry = await lookup(db, name);
    if (entry === null)
      throw new Error(
        `The mail plane needs the system ${db === 'passwd' ? 'user' : 'group'} ${name}.`,
      );
    return entry;
  };
  const vmail = await need('passwd', s.users.vmail);
  const vmailGroup = await need('group', s.users.vmailGroup);
  const postfix = await need('passwd', s.users.postfix);
  const database = await need('group', s.users.databaseGroup);
  const opendkim = await need('passwd', s.users.opendkim);
  if (s.dialect === 'sqlite' && database[2] !== postfix[3]) {
    throw new Error(
      `users.databaseGroup (${s.users.databaseGroup}) must be the primary group of ${s.users.postfix}: Postfix's lookups run with that group only.`,
    );
  }
  return {
    vmailUid: Number(vmail[2]),
    vmailGid: Number(vmailGroup[2]),
    postfixUid: Number(postfix[2]),
    postfixGid: Number(postfix[3]),
    databaseGid: Number(database[2]),
    opendkimUid: Number(opendkim[2]),
    dataDirUid: (await stat(dirname(s.dirs.base)).catch(() => ({ uid: 0 }))).uid,
  };
}

/** `getent` fields, or null when there is no such entry. */
async function lookup(db: 'passwd' | 'group', name: string): Promise<string[] | null> {
  try {
    const { stdout } = await run('getent', [db, name]);
    return stdout.trim().split(':');
  } catch {
    return null;
  }
}

async function prepareDirectories(s: MailPlaneSettings, ids: Ids): Promise<void> {
  // Every account of the servers walks through the data dir to its part of the mail plane.
  const dataDir = dirname(s.dirs.base);
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, ((await stat(dataDir)).mode & 0o7777) | 0o001);
  for (const dir of [s.dirs.base, s.dirs.config, s.dirs.queue, s.dirs.state, s.dirs.run]) {
    await mkdir(dir, { recursive: true });
    await chown(dir, 0, 0);
    await chmod(dir, 0o755);
  }
  await mkdir(join(s.dirs.state, 'dovecot'), { recursive: true, mode: 0o750 });
  await mkdir(s.dirs.log, { recursive: true });
  await chmod(s.dirs.log, 0o750);
  await mkdir(s.dirs.mail, { recursive: true });
  await chown(s.dirs.mail, ids.vmailUid, ids.vmailGid);
  await chmod(s.dirs.mail, 0o770);
  // OpenDKIM's socket and pid file: setgid to Postfix's primary group (the only group Postfix's
  // daemons keep), so the socket it creates is that group's; closed to everyone else.
  await socketDirectory(opendkimPaths(s).run, ids.opendkimUid, ids.postfixGid);
  // The policy service's and the From check's sockets, likewise: their owner writes, Postfix's
  // group connects.
  for (const dir of [policyDir(s), fromCheckPaths(s).run]) {
    await socketDirectory(dir, ids.dataDirUid, ids.postfixGid);
  }
  // The policy service's socket for quota warnings, likewise for the mail account's group.
  await socketDirectory(quotaWarningsDir(s), ids.dataDirUid, ids.vmailGid);
}

/**
 * A directory for a server's socket: its owner creates the socket, setgid so that the socket
 * takes the group of the clients allowed to connect, closed to everyone else.
 */
async function socketDirectory(dir: string, uid: number, gid: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await chown(dir, uid, gid);
  await chmod(dir, 0o2750);
}

/**
 * Starts a service that does not daemonize itself (the policy service, the From check)
 * detached, as `as`, its output in `<log>/<name>.log`, and records its pid in `pidFile`.
 */
async function launchDetached(
  s: MailPlaneSettings,
  name: string,
  pidFile: string,
  as: { uid: number; gid: number },
  server: PolicyServerCommand,
): Promise<void> {
  const logFile = join(s.dirs.log, `${name}.log`);
  const log = await open(logFile, 'a', 0o640);
  try {
    await chown(logFile, as.uid, as.gid);
    const child = spawn(server.command, server.args, {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: { ...process.env, ...server.env },
      uid: as.uid,
      gid: as.gid,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve());
    });
    child.unref();
    await writeFile(pidFile, `${child.pid}\n`);
  } finally {
    await log.close();
  }
}

/**
 * SQLite in WAL mode: every reader writes the -shm index and may create the -wal file, so the
 * database's directory belongs to the shared group, setgid (new files inherit the group), and
 * the files are group-writable. The database must sit in a directory of its own.
 */
async function shareDatabase(s: MailPlaneSettings, gid: number): Promise<void> {
  if (s.dialect !== 'sqlite') return;
  const dbDir = dirname(s.database.path);
  const dataDir = dirname(s.dirs.base);
  if (dbDir === dataDir || !relative(dbDir, s.dirs.base).startsWith('..')) {
    throw new Error(
      `The SQLite database must be in a directory of its own, not ${dbDir} (it is opened to the mail servers' group); e.g. MAILWRIGHT_DATABASE_URL=sqlite:${join(dataDir, 'db', 'mailwright.db')}.`,
    );
  }
  const info = await stat(dbDir);
  await chown(dbDir, info.uid, gid);
  await chmod(dbDir, 0o2770);
  for (const suffix of ['', '-wal', '-shm']) {
    const file = `${s.database.path}${suffix}`;
    if (!(await exists(file))) continue;
    const f = await stat(file);
    await chown(file, f.uid, gid);
    await chmod(file, 0o660);
  }
  // The servers reach the directory through its parents; those are not ours to open.
  for (let dir = dirname(dbDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) {
      throw new Error(
        `The mail servers cannot reach the database: ${dir} is not searchable by others (chmod o+x).`,
      );
    }
  }
}

async function processStatus(pidFile: string): Promise<ProcessStatus> {
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(pidFile, 'utf8')).trim(), 10);
  } catch {
    return { running: false, pid: null };
  }
  if (!Number.isInteger(pid) || pid <= 0) return { running: false, pid: null };
  return { running: alive(pid), pid };
}

function alive(pid: number): boolean {
  try {
    // A master that exited but is not reaped yet (a zombie) is not running.
    if (/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return false;
  } catch {
    // No /proc entry (or no /proc): ask the kernel below.
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs a command that leaves a daemon behind. The daemon inherits the command's stdout and
 * stderr, so they go to a file (`<log>/<command>-start.log`), never to a pipe that would stay
 * open as long as the daemon runs.
 */
async function launch(s: MailPlaneSettings, command: string, args: string[]): Promise<void> {
  const logFile = join(s.dirs.log, `${command}-start.log`);
  const log = await open(logFile, 'a', 0o640);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', log.fd, log.fd] });
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) {
      const output = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output.trim()}`);
    }
  } finally {
    await log.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function allExist(paths: string[]): Promise<boolean> {
  return (await Promise.all(paths.map(exists))).every(Boolean);
}

/** Whether something accepts TCP connections on host:port right now. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, test: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
