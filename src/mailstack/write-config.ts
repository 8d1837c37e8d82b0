import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import type { RenderedFile } from './rendered-file.js';

const run = promisify(execFile);

/**
 * Writes rendered files under `dir` (the settings' `dirs.config`), each with its mode. A file is
 * written beside its final name and renamed over it, so a server reloading meanwhile reads the
 * old file or the new one, never half of one.
 */
export async function writeConfig(dir: string, files: RenderedFile[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const relative = normalize(file.path);
    if (isAbsolute(relative) || relative.startsWith('..')) {
      throw new Error(`A rendered file must stay inside ${dir}; got "${file.path}".`);
    }
    const path = join(dir, relative);
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
  return written;
}

async function groupId(name: string): Promise<number> {
  const { stdout } = await run('getent', ['group', name]).catch(() => {
    throw new Error(`The mail plane needs the system group ${name}.`);
  });
  return Number(stdout.split(':')[2]);
}
