import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dovecotConfigFile, postfixDir } from './render.js';
import type { MailPlaneSettings } from './settings.js';
import { status } from './stack.js';

const run = promisify(execFile);

/**
 * Makes the running Postfix and Dovecot read their certificate files again (both read them as
 * root when a process starts; a reload starts new ones, connections in progress keep theirs).
 * Returns which were reloaded; a server that is not running has nothing to reload.
 */
export async function reloadCertificates(s: MailPlaneSettings): Promise<string[]> {
  const running = await status(s);
  const reloaded: string[] = [];
  if (running.postfix.running) {
    await run('postfix', ['-c', postfixDir(s), 'reload']);
    reloaded.push('postfix');
  }
  if (running.dovecot.running) {
    await run('doveadm', ['-c', dovecotConfigFile(s), 'reload']);
    reloaded.push('dovecot');
  }
  return reloaded;
}
