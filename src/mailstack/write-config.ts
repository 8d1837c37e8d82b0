import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import type { RenderedFile } from './rendered-file.js';

const run = promisify(execFile);

/**
 * Writes rendered files under `dir` (the settings' `dirs.config`), each with its mode. A file is
 * written beside its final name and renamed over it, so a server reloading meanwhile reads the
 * old file or the new one, never half of one. Then removes the `retired` files, which earlier
 * versions rendered and nothing reads any more (a table may hold the database's password).
 */
export async function writeConfig(
  dir: string,
  files: RenderedFile[],
  retired: readonly string[] = [],
): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const path = inside(dir, file.path);
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    const temporary = `${path}.tmp-${process.pid}`;
    await writeFile(temporary, file.content, { mode: file.mode });
    // writeFile's mode is filtered by the umask; the file must end up with exactly this one.
    await chmod(temporary, file.mode);
    // Only root can give a file away; an unprivileged `render --out` is for reading anyway.
    if (file.group !== undefined && process.getuid?.() === 0) {
      await chown(temporary, 0, await groupId(file.group));
    }
    await rename(temporary, path);
    written.push(path);
  }
  for (const file of retired) await rm(inside(dir, file), { force: true });
  return written;
}

/** `file`'s path under `dir`, refusing one that would leave it. */
function inside(dir: string, file: string): string {
  const relative = normalize(file);
  if (isAbsolute(relative) || relative.startsWith('..')) {
    throw new Error(`A rendered file must stay inside ${dir}; got "${file}".`);
  }
  return join(dir, relative);
}

async function groupId(name: string): Promise<number> {
  const { stdout } = await run('getent', ['group', name]).catch(() => {
    throw new Error(`The mail plane needs the system group ${name}.`);
  });
  return Number(stdout.split(':')[2]);
}
