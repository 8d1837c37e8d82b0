import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRelayHost } from '../core/relay-host.js';
import type { RenderedFile } from './rendered-file.js';
import type { MailPlaneSettings } from './settings.js';

/** Postfix's copy of the relays' logins (`smtp_sasl_password_maps = texthash:…`). */
export const RELAY_LOGIN_FILE = 'postfix/relay_passwd';
/** Every relay with a login, which Postfix reaches over TLS only (`smtp_tls_policy_maps`). */
export const RELAY_TLS_FILE = 'postfix/relay_tls';

/** Each relay's `user:password`, keyed by the relay as `[host]:port` (lowercase). */
export type RelayLogins = ReadonlyMap<string, string>;

const FORMAT =
  'one line per relay, [host]:port user:password (a line of just user:password is the login of MAILWRIGHT_RELAY_HOST)';

/**
 * The relays' SASL logins from their file (MAILWRIGHT_RELAY_PASSWORD_FILE), for the global relay
 * and for the domains' own (a domain's `relayHost`). Each line is a Postfix sasl_passwd line,
 * `[host]:port user:password`, naming the relay it logs in to; a line of only `user:password`
 * is the global relay's, as the file held before domains had relays of their own. Comments and
 * blank lines are skipped. A file that anyone but its owner may read is refused: the passwords
 * would be as good as published to every account of the machine. Errors name the line, never
 * what it holds.
 */
export async function readRelayLogins(path: string, globalRelay?: string): Promise<RelayLogins> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read the relay password file ${path}: ${error.code ?? error.message}.`);
  });
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new Error(
      `The relay password file ${path} can be read by other users (mode ${mode}); make it readable by its owner only: chmod 600 ${path}.`,
    );
  }
  const logins = new Map<string, string>();
  const refuse = (line: number, why: string) =>
    new Error(`The relay password file ${path}, line ${line}: ${why}. It must hold ${FORMAT}.`);
  const lines = (await readFile(path, 'utf8')).split('\n');
  for (const [index, raw] of lines.entries()) {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) continue;
    const line = index + 1;
    const fields = text.split(/\s+/);
    if (fields.length > 2) {
      // Postfix's tables end a value at whitespace: a password with a space would arrive cut short.
      throw refuse(line, 'more than a relay and a user:password without spaces');
    }
    const [relay, login] = fields.length === 1 ? [globalRelay, fields[0]!] : fields;
    if (relay === undefined) {
      throw refuse(line, 'a login without its relay, and MAILWRIGHT_RELAY_HOST is not set');
    }
    const key = checkRelayHost(relay);
    if (!key.ok) throw refuse(line, 'the relay is not [host]:port');
    if (!/^[^:\s]+:\S+$/.test(login)) throw refuse(line, 'the login is not user:password');
    if (logins.has(key.value)) throw refuse(line, `a second login for ${key.value}`);
    logins.set(key.value, login);
  }
  if (logins.size === 0) throw new Error(`The relay password file ${path} must hold ${FORMAT}.`);
  return logins;
}

const RENDERED =
  '# Rendered by Mailwright from the relay password file; changes here are overwritten.\n';

/**
 * Root's 0600 table of the logins, keyed by the relay as Postfix names the next hop, and the
 * TLS policy that reaches each of those relays with STARTTLS or not at all.
 */
export function renderRelayLogins(logins: RelayLogins): RenderedFile[] {
  const rows = (value: (login: string) => string) =>
    RENDERED + [...logins].map(([relay, login]) => `${relay} ${value(login)}\n`).join('');
  return [
    { path: RELAY_LOGIN_FILE, content: rows((login) => login), mode: 0o600 },
    { path: RELAY_TLS_FILE, content: rows(() => 'encrypt'), mode: 0o644 },
  ];
}

export const relayLoginTable = (s: MailPlaneSettings): string =>
  `texthash:${join(s.dirs.config, RELAY_LOGIN_FILE)}`;

export const relayTlsTable = (s: MailPlaneSettings): string =>
  `texthash:${join(s.dirs.config, RELAY_TLS_FILE)}`;
