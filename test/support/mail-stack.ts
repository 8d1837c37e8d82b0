import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postfixDir } from '../../src/mailstack/render.js';
import { mailPlaneSettings, type MailPlaneSettings } from '../../src/mailstack/settings.js';
import type { SigningKey } from '../../src/core/dkim-key.js';
import { down, up, type StackStatus } from '../../src/mailstack/stack.js';
import { freePort } from './ports.js';
import { policyServerCommand } from '../../src/app/policy-server.js';

const run = promisify(execFile);

/** The private Postfix and Dovecot of the mail plane, running over one Mailwright database. */
export interface MailStack {
  settings: MailPlaneSettings;
  /** MAILWRIGHT_DATA_DIR and MAILWRIGHT_DATABASE_URL, for running the CLI against the stack. */
  env: Record<string, string>;
  /** Every log file of the servers, for the message of a failure. */
  logs(): string;
  /** The directory Dovecot delivers an address's new messages to (`…/Maildir/new`). */
  newMailDir(address: string): string;
  /** The private queue as `postqueue -p` lists it ("Mail queue is empty" when nothing waits). */
  queue(): Promise<string>;
  /** Stops the servers and removes the temporary data dir (maildirs, queue) and DKIM keys. */
  stop(): Promise<StackStatus>;
}

/** The owner of the data dir in docs/deployment.md §3, where the API runs as this account. */
const DATA_DIR_OWNER = 'mailwright';

/**
 * A new empty data dir laid out as docs/deployment.md §3 says: owned by the unprivileged
 * `mailwright` system account (created here if missing, as the guide does), mode 0751. Not under
 * /tmp: OpenDKIM refuses keys below a directory everyone can write to, as a real data dir never
 * is.
 */
export function mailDataDir(prefix: string): string {
  const base = '/var/lib/mailwright-tests';
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(base, prefix));
  const owner = systemUser(DATA_DIR_OWNER);
  chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, 0o751);
  return dir;
}

/** The uid and gid of a system account, created with its own group when missing. */
function systemUser(name: string): { uid: number; gid: number } {
  const entry = () => {
    try {
      return execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).split(':');
    } catch {
      return null;
    }
  };
  let found = entry();
  if (found === null) {
    try {
      execFileSync('useradd', [
        '--system',
        '--user-group',
        '--home-dir',
        '/nonexistent',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        name,
      ]);
    } catch (error) {
      // Another test file, started at the same time, may have created it first.
      if (entry() === null) throw error;
    }
    found = entry()!;
  }
  return { uid: Number(found[2]), gid: Number(found[3]) };
}

/**
 * Starts the stack with `up` (as `mailwright mailstack up` does) in a new temporary data dir, on
 * random loopback ports, over the database at `databaseUrl`. Needs root, as the servers do. A
 * failed start stops whatever did start and removes the data dir, then throws with the logs.
 */
export async function startMailStack(
  databaseUrl: string,
  mailHost: string,
  opts: {
    /** What OpenDKIM signs submitted mail with (`signingKeys(ctx)`); none: nothing is signed. */
    keys?: SigningKey[];
    /** A certificate for `mailHost`: STARTTLS, TLS-only IMAP and IMAPS on a random port. */
    tls?: { cert: Buffer; key: Buffer };
    /** Where postmaster@ and abuse@ of every hostname go. */
    postmaster?: string;
    /** `[127.0.0.1]:port` of a catcher every outbound message goes to (test/support/smtp-catcher.ts). */
    relayHost?: string;
    /** A `user:password` file (mode 0600) with the relay's login. */
    relayPasswordFile?: string;
    /**
     * false: `up` starts no policy service; the test serves the socket itself (with a clock it
     * can move). By default the real `mailwright mailstack policy-server` process runs.
     */
    policyServer?: false;
  } = {},
): Promise<MailStack> {
  const dataDir = mailDataDir('mail-');
  let tls: MailPlaneSettings['tls'];
  if (opts.tls) {
    tls = { certFile: join(dataDir, 'mx.pem'), keyFile: join(dataDir, 'mx.key') };
    writeFileSync(tls.certFile, opts.tls.cert);
    writeFileSync(tls.keyFile, opts.tls.key, { mode: 0o600 });
  }
  const settings = mailPlaneSettings({
    databaseUrl,
    dataDir,
    mailHost,
    ports: {
      smtp: await freePort(),
      submission: await freePort(),
      imap: await freePort(),
      imaps: await freePort(),
      submissions: await freePort(),
      srsForward: await freePort(),
      srsReverse: await freePort(),
      authPolicy: await freePort(),
    },
    ...(tls ? { tls } : {}),
    ...(opts.postmaster ? { postmaster: opts.postmaster } : {}),
    ...(opts.relayHost ? { relayHost: opts.relayHost } : {}),
    ...(opts.relayPasswordFile ? { relayPasswordFile: opts.relayPasswordFile } : {}),
  });
  const stack: MailStack = {
    settings,
    env: { MAILWRIGHT_DATA_DIR: dataDir, MAILWRIGHT_DATABASE_URL: databaseUrl },
    logs() {
      const dir = settings.dirs.log;
      if (!existsSync(dir)) return '(no log directory)';
      return readdirSync(dir)
        .map((f) => `==> ${f} <==\n${readFileSync(join(dir, f), 'utf8')}`)
        .join('\n');
    },
    newMailDir(address) {
      const at = address.lastIndexOf('@');
      return join(
        settings.dirs.mail,
        address.slice(at + 1),
        address.slice(0, at),
        'Maildir',
        'new',
      );
    },
    async queue() {
      const { stdout } = await run('postqueue', ['-c', postfixDir(settings), '-p']);
      return stdout.trim();
    },
    async stop() {
      try {
        return await down(settings);
      } finally {
        await rm(dataDir, { recursive: true, force: true });
        await rm(settings.dirs.dkimKeys, { recursive: true, force: true });
      }
    },
  };
  try {
    await up(
      settings,
      opts.keys ?? [],
      opts.policyServer === false
        ? undefined
        : policyServerCommand({
            MAILWRIGHT_DATABASE_URL: databaseUrl,
            MAILWRIGHT_DATA_DIR: dataDir,
            MAILWRIGHT_MAIL_HOST: mailHost,
          }),
    );
  } catch (error) {
    const logs = stack.logs();
    await stack.stop().catch(() => undefined);
    throw new Error(`up failed: ${(error as Error).message}\n${logs}`);
  }
  return stack;
}
