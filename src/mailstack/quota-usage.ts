import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * How much a mailbox stores, in MB, as Dovecot's quota plugin counts it: `doveadm quota get`
 * against the Dovecot configuration the mail plane runs with (it reads the maildir's quota
 * file, recalculating it if missing). Null when there is no such configuration or Dovecot cannot
 * answer: the API then reports the usage as unknown rather than failing the request.
 */
export function dovecotQuotaUsage(configFile: string): (address: string) => Promise<number | null> {
  return async (address) => {
    try {
      await access(configFile);
      const { stdout } = await run(
        'doveadm',
        ['-c', configFile, '-f', 'tab', 'quota', 'get', '-u', address],
        { timeout: 5_000 },
      );
      return parseStorageKb(stdout);
    } catch {
      return null;
    }
  };
}

/** `-f tab` output: a header row, then one row per quota resource; STORAGE is in KiB. */
export function parseStorageKb(output: string): number | null {
  const [header, ...rows] = output
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  const type = header?.indexOf('Type') ?? -1;
  const value = header?.indexOf('Value') ?? -1;
  if (type < 0 || value < 0) return null;
  const storage = rows.find((r) => r[type] === 'STORAGE');
  const kb = Number(storage?.[value]);
  if (!storage || !Number.isFinite(kb)) return null;
  return Math.round((kb / 1024) * 100) / 100;
}
