import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Addresses per `doveadm` run: far below any argv limit, few runs for a bulk delete. */
const FLUSH_CHUNK = 500;

/**
 * Dovecot's auth cache (render.ts) keeps each login's passdb and userdb answer for a minute.
 * This makes the running Dovecot forget `addresses` at once (`doveadm auth cache flush`, over
 * its `auth-master` socket), so a disabled, deleted or re-passworded mailbox is refused from its
 * next login on and a new quota counts from the next message.
 *
 * Nothing to do, so no error, when this host has no mail plane (no configuration file) or its
 * Dovecot is not running (no socket, or nobody listening): a cache exists only in a running
 * auth process. Any other failure throws, naming the addresses and Dovecot's reason.
 */
export function dovecotAuthCacheFlush(
  configFile: string,
): (addresses: readonly string[]) => Promise<void> {
  return async (addresses) => {
    if (addresses.length === 0) return;
    try {
      await access(configFile);
    } catch {
      return;
    }
    for (let i = 0; i < addresses.length; i += FLUSH_CHUNK) {
      const chunk = addresses.slice(i, i + FLUSH_CHUNK).map((a) => a.toLowerCase());
      try {
        await run('doveadm', ['-c', configFile, 'auth', 'cache', 'flush', ...chunk], {
          timeout: 10_000,
        });
      } catch (error) {
        const stderr = String((error as { stderr?: unknown }).stderr ?? '');
        if (DOVECOT_NOT_RUNNING.test(stderr)) return;
        throw new Error(
          `Dovecot's login cache could not be flushed for ${chunk.join(', ')} (doveadm auth cache flush): ${stderr.trim() || (error as Error).message}`,
        );
      }
    }
  };
}

/** What doveadm says when no auth process listens on the instance's `auth-master` socket. */
const DOVECOT_NOT_RUNNING =
  /net_connect_unix\([^)]*auth-master\) failed: (No such file or directory|Connection refused)/;
