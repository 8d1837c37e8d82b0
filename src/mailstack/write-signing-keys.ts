import { chmod, chown, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkKeyDirectory, type Signer } from './key-safety.js';
import { opendkimPaths, renderSigningTables } from './opendkim.js';
import { type SigningKey } from '../core/dkim-key.js';
import type { MailPlaneSettings } from './settings.js';

/**
 * Writes OpenDKIM's keys and tables for `keys`, removing key files no longer signing. Every file
 * is written beside its name and renamed over it, so a reloading OpenDKIM never reads half a
 * table. Refuses, before writing a key, a directory OpenDKIM would refuse (`key-safety.ts`).
 * Returns whether anything changed, so a running signer is only reloaded when needed.
 */
export async function writeSigningKeys(
  s: MailPlaneSettings,
  keys: SigningKey[],
  signer: Signer & { gid: number },
): Promise<boolean> {
  const p = opendkimPaths(s);
  const tables = renderSigningTables(s, keys);
  await mkdir(p.state, { recursive: true, mode: 0o755 });
  // Parents `up` creates are root's and open to search, as OpenDKIM needs.
  await mkdir(dirname(p.keys), { recursive: true, mode: 0o755 });
  await mkdir(p.keys, { recursive: true });
  await chown(p.keys, signer.uid, signer.gid);
  await chmod(p.keys, 0o700);
  const problem = await checkKeyDirectory(p.keys, signer);
  if (problem !== null) throw new Error(problem);
  // Where keys were kept before they moved out of the data dir: no plaintext copy stays behind.
  const formerKeys = join(p.state, 'keys');
  if (formerKeys !== p.keys) await rm(formerKeys, { recursive: true, force: true });

  let changed = false;
  const put = async (path: string, content: string, mode: number, own = false) => {
    if ((await readFile(path, 'utf8').catch(() => null)) === content) {
      // Unchanged, but a key's owner and mode are what OpenDKIM judges: set them again.
      if (own) await secure(path, mode);
      return;
    }
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, content, { mode });
    if (own) await secure(temporary, mode);
    else await chmod(temporary, mode);
    await rename(temporary, path);
    changed = true;
  };
  const secure = async (path: string, mode: number) => {
    await chmod(path, mode);
    await chown(path, signer.uid, signer.gid);
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
