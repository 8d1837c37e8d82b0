import {
  chmod,
  chown,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { opendkimPaths, renderSigningTables, type SigningKey } from './opendkim.js';
import type { MailPlaneSettings } from './settings.js';

/**
 * Writes OpenDKIM's keys and tables for `keys`, removing key files no longer signing. Every file
 * is written beside its name and renamed over it, so a reloading OpenDKIM never reads half a
 * table. Returns whether anything changed, so a running signer is only reloaded when needed.
 */
export async function writeSigningKeys(
  s: MailPlaneSettings,
  keys: SigningKey[],
  owner: { uid: number; gid: number },
): Promise<boolean> {
  const p = opendkimPaths(s);
  const tables = renderSigningTables(s, keys);
  await mkdir(p.state, { recursive: true, mode: 0o755 });
  await refuseUnsafeParents(p.keys);
  await mkdir(p.keys, { recursive: true });
  await chown(p.keys, owner.uid, owner.gid);
  await chmod(p.keys, 0o700);

  let changed = false;
  const put = async (path: string, content: string, mode: number, own = false) => {
    if ((await readFile(path, 'utf8').catch(() => null)) === content) return;
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, content, { mode });
    await chmod(temporary, mode);
    if (own) await chown(temporary, owner.uid, owner.gid);
    await rename(temporary, path);
    changed = true;
  };
  for (const [file, pem] of tables.keyFiles) await put(join(p.keys, file), pem, 0o600, true);
  for (const file of await readdir(p.keys)) {
    if (tables.keyFiles.has(file)) continue;
    await rm(join(p.keys, file), { force: true });
    changed = true;
  }
  // Tables go last: a key is on disk before any table names it.
  await put(p.keyTable, tables.keyTable, 0o644);
  await put(p.signingTable, tables.signingTable, 0o644);
  return changed;
}

/**
 * OpenDKIM (RequireSafeKeys) refuses a key when any directory above it can be written by others
 * (/tmp, say), and says so only in syslog while Postfix answers every submission with a 451.
 * Said here instead, before anything starts.
 */
async function refuseUnsafeParents(keysDir: string): Promise<void> {
  for (let dir = dirname(keysDir); ; dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o002) !== 0) {
      throw new Error(
        `OpenDKIM refuses signing keys below ${dir}, which everyone can write to; put MAILWRIGHT_DATA_DIR elsewhere (e.g. /var/lib/mailwright).`,
      );
    }
    if (dir === dirname(dir)) return;
  }
}
