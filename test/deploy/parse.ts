import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root, whatever directory vitest runs from. */
export const ROOT = new URL('../../', import.meta.url).pathname;
export const DEPLOY = join(ROOT, 'deploy');

export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Every file under deploy/ but its README, as repository paths (`deploy/systemd/…`). */
export function deployFiles(dir = DEPLOY): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return deployFiles(path);
      return entry.name === 'README.md' && dir === DEPLOY ? [] : [relative(ROOT, path)];
    })
    .sort();
}

export interface InstallHeader {
  path: string;
  owner: string;
  group: string;
  mode: string;
}

/** `# Installed as: /etc/… (root:mailwright 0640)`, within a file's first three lines. */
export function installHeader(file: string): InstallHeader | undefined {
  const head = read(file).split('\n').slice(0, 3).join('\n');
  const match = /^# Installed as: (\/\S+) \(([a-z-]+):([a-z-]+) (0[0-7]{3})\)$/m.exec(head);
  if (!match) return undefined;
  const [, path = '', owner = '', group = '', mode = ''] = match;
  return { path, owner, group, mode };
}

export const isExecutable = (file: string): boolean =>
  (statSync(join(ROOT, file)).mode & 0o111) !== 0;

export interface UnitEntry {
  section: string;
  key: string;
  value: string;
  line: number;
}

/**
 * A systemd unit as systemd reads it (systemd.syntax(7)): `[Section]` headers, `Key=Value`
 * lines, `#`/`;` comments, a trailing backslash continuing the line. Throws on anything else,
 * so it doubles as the syntax check where systemd-analyze is missing.
 */
export function parseUnit(text: string): UnitEntry[] {
  const entries: UnitEntry[] = [];
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const number = i + 1;
    let line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    const assignment = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!assignment || section === '') throw new Error(`line ${number}: not Key=Value: ${line}`);
    entries.push({
      section,
      key: assignment[1] ?? '',
      value: (assignment[2] ?? '').trim(),
      line: number,
    });
  }
  return entries;
}

export const unitValues = (entries: UnitEntry[], section: string, key: string): string[] =>
  entries.filter((e) => e.section === section && e.key === key).map((e) => e.value);

/** An Exec*= command line as words, without systemd's `-@:+!` prefixes (none is quoted here). */
export function execWords(value: string): string[] {
  if (/["']/.test(value)) throw new Error(`quoted Exec line, split it by hand: ${value}`);
  return value.replace(/^[-@:+!]+/, '').split(/\s+/);
}

export interface EnvAssignment {
  name: string;
  value: string;
  commented: boolean;
  line: number;
}

/**
 * The env file's assignments, commented-out ones included (`# NAME=value`), with the one form
 * of quoting both systemd's EnvironmentFile= and sh take verbatim: single quotes around the
 * whole value.
 */
export function parseEnvFile(text: string): EnvAssignment[] {
  return text.split('\n').flatMap((raw, i) => {
    const match = /^(#\s*)?(MAILWRIGHT_[A-Z0-9_]+)=(.*)$/.exec(raw);
    if (!match) return [];
    const [, comment, name = '', rawValue = ''] = match;
    const quoted = /^'([^']*)'$/.exec(rawValue);
    return [
      {
        name,
        value: quoted ? (quoted[1] ?? '') : rawValue,
        commented: comment !== undefined,
        line: i + 1,
      },
    ];
  });
}

/** The `sh` blocks of a Markdown file, continuation lines joined, comments dropped. */
export function shellLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
      .filter(Boolean),
  );
}
