import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const SKIP = new Set(['node_modules', '.git', 'dist', 'test-results']);

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const rel = relative(ROOT, path);
    if (entry.isDirectory()) {
      out.push(`${rel}/`);
      walk(path, out);
    } else out.push(rel);
  }
  return out;
}

/**
 * The code-formatted names in a map of the code that look like files or folders: `src/…`,
 * `services/mailboxes/create-mailbox.ts`, `cooldown.ts`, `deploy/`. Commands, URLs, SQL and
 * values (`POST /v1/mailboxes`, `mw_session`, `{ARGON2ID}$…`) are not names of files.
 */
function namedPaths(markdown: string): string[] {
  const names = new Set<string>();
  for (const [, code] of markdown.matchAll(/`([^`\n]+)`/g)) {
    const name = code!.trim();
    if (/\s|^\/|:\/\/|[{}$*<>]/.test(name)) continue;
    if (/\.(ts|tsx|mjs|js|json|md|css)$/.test(name) || /^[\w.-]+(\/[\w.-]+)*\/$/.test(name)) {
      names.add(name);
    } else if (/^(src|web|test|docs|deploy|scripts|bench)\/[\w./-]+$/.test(name)) {
      names.add(name);
    }
  }
  return [...names];
}

/** Made by builds and test runs, so not in a fresh checkout (.gitignore). */
const GENERATED = readFileSync(join(ROOT, '.gitignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim().replace(/^\//, '').replace(/\/$/, ''))
  .filter(Boolean);

/** A name stands for a file when the repository has a path that is it or ends with it. */
const exists = (name: string, paths: string[]) =>
  GENERATED.includes(name.replace(/\/$/, '')) ||
  [name, `${name}/`].some((n) => paths.some((path) => path === n || path.endsWith(`/${n}`)));

describe('ARCHITECTURE.md', () => {
  const paths = walk(ROOT);
  const text = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');

  it('names only files and folders that exist', () => {
    const names = namedPaths(text);
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((name) => !exists(name, paths))).toEqual([]);
  });

  it('finds a file it names wrongly (the check can fail)', () => {
    expect(exists('services/find-mailbox.ts', paths)).toBe(false);
    expect(namedPaths('see `src/core/quota.ts`, `GET /v1/limits` and `deploy/`')).toEqual([
      'src/core/quota.ts',
      'deploy/',
    ]);
  });
});
