import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailPlaneSettings } from './settings.js';

/**
 * postsrsd (Debian's 1.10), the Sender Rewriting Scheme for mail that leaves again: Postfix asks
 * its forward table for the envelope sender of every message (`sender_canonical_maps`) and its
 * reverse table for every recipient (`recipient_canonical_maps`), over loopback TCP. The secret
 * that signs SRS addresses stays across restarts, so a bounce arriving days later still resolves.
 */
export function postsrsdPaths(s: MailPlaneSettings) {
  const state = join(s.dirs.state, 'postsrsd');
  return {
    /** root's, mode 0700: the secret is read as root, before postsrsd drops to `users.srs`. */
    state,
    secret: join(state, 'secret'),
    /** An empty directory postsrsd is chrooted to once it has its secret and its ports. */
    chroot: join(s.dirs.run, 'postsrsd'),
    pidFile: join(s.dirs.run, 'postsrsd.pid'),
  };
}

/** The daemon's arguments: forks (`-D`), SRS addresses at the mail host, loopback only. */
export function postsrsdArgs(s: MailPlaneSettings): string[] {
  const p = postsrsdPaths(s);
  return [
    `-s${p.secret}`,
    `-d${s.mailHost}`,
    '-l127.0.0.1',
    `-f${s.ports.srsForward}`,
    `-r${s.ports.srsReverse}`,
    `-p${p.pidFile}`,
    `-u${s.users.srs}`,
    `-c${p.chroot}`,
    '-D',
  ];
}

/**
 * Creates the state and chroot directories and, the first time, the secret: 24 random bytes in
 * base64, as Debian's package makes /etc/postsrsd.secret. An existing secret is kept.
 */
export async function prepareSrs(s: MailPlaneSettings): Promise<void> {
  const p = postsrsdPaths(s);
  await mkdir(p.state, { recursive: true, mode: 0o700 });
  await chown(p.state, 0, 0);
  await chmod(p.state, 0o700);
  await mkdir(p.chroot, { recursive: true, mode: 0o755 });
  const existing = await readFile(p.secret, 'utf8').catch(() => '');
  if (existing.trim() === '') {
    await writeFile(p.secret, `${randomBytes(24).toString('base64')}\n`, { mode: 0o600 });
  }
  await chown(p.secret, 0, 0);
  await chmod(p.secret, 0o600);
}
