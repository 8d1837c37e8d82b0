import { execFile } from 'node:child_process';
import { chmod, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MailPlaneSettings } from './settings.js';

const run = promisify(execFile);

/** The C source, under src/ both in a checkout and in an installed copy (deploy/install.sh). */
const SOURCE = fileURLToPath(
  new URL('../../src/mailstack/native/argon2-memory.c', import.meta.url),
);

/** Where the auth workers preload it from (render.ts): beside the rest of Dovecot's config. */
export const argon2MemoryFile = (s: MailPlaneSettings, dir = s.dirs.config): string =>
  join(dir, 'dovecot', 'argon2-memory.so');

/**
 * Builds the library Dovecot's auth workers preload (src/mailstack/native/argon2-memory.c,
 * docs/mail-plane.md "Logins"): it keeps libsodium's 19 MiB of argon2id memory mapped between
 * verifications, so a first login pays for the hash and not also for faulting in and zeroing
 * 4,864 fresh pages. Built on the host with its C compiler (gcc, installed by deploy/install.sh),
 * for its own C library, at every render (under 0.1 s): a library found in place is never
 * trusted, since it runs in processes that start as root.
 */
export async function buildArgon2Memory(file: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    await run('cc', [...CC_FLAGS, '-o', temporary, SOURCE]);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(
      `Could not build ${SOURCE} with cc, which Dovecot's auth workers preload: ${stderr || (error as Error).message}. Install gcc and libc6-dev (deploy/install.sh does).`,
    );
  }
  // Loaded into processes that start as root: writable by root only, like the rest of the config.
  await chmod(temporary, 0o644);
  await rename(temporary, file);
}

const CC_FLAGS = ['-O2', '-shared', '-fPIC', '-Wall', '-Wextra', '-Werror'];
