import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderedFile } from './rendered-file.js';
import type { MailPlaneSettings } from './settings.js';

/** Postfix's copy of the relay's login (`smtp_sasl_password_maps = texthash:…`). */
export const RELAY_LOGIN_FILE = 'postfix/relay_passwd';

/**
 * The relay host's SASL login from its file: one `user:password` line, or a Postfix sasl_passwd
 * line (`[host]:port user:password`; the login is what follows the destination). Comments and
 * blank lines are skipped. A file that anyone but its owner may read is refused: the password
 * would be as good as published to every account of the machine.
 */
export async function readRelayLogin(path: string): Promise<string> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read the relay password file ${path}: ${error.code ?? error.message}.`);
  });
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(
      `The relay password file ${path} can be read by other users (mode ${mode}); make it readable by its owner only: chmod 600 ${path}.`,
    );
  }
  const lines = (await readFile(path, 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const login = lines.length === 1 ? lines[0]!.replace(/^\S+\s+(?=\S+:)/, '') : '';
  // Postfix's tables end a value at whitespace: a password with a space would arrive cut short.
  if (!/^[^:\s]+:\S+$/.test(login)) {
    throw new Error(
      `The relay password file ${path} must hold one line, user:password without spaces (or a Postfix sasl_passwd line, [host]:port user:password).`,
    );
  }
  return login;
}

/** Root's 0600 table of the one relay login, keyed by the relay host as `relayhost` names it. */
export function renderRelayLogin(s: MailPlaneSettings, login: string): RenderedFile {
  return {
    path: RELAY_LOGIN_FILE,
    content: `# Rendered by Mailwright from the relay password file; changes here are overwritten.\n${s.relayHost} ${login}\n`,
    mode: 0o600,
  };
}

export const relayLoginTable = (s: MailPlaneSettings): string =>
  `texthash:${join(s.dirs.config, RELAY_LOGIN_FILE)}`;
