import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseSecretKey } from '../core/credentials-cipher.js';

const KEY_BYTES = 32;

/**
 * The key that seals stored credentials: MAILWRIGHT_SECRET_KEY (`configured`, checked with the
 * rest of the configuration), else the key in `keyFile`, which is created on first start so a
 * single-host install needs no setup. Losing the key makes sealed credentials unreadable, so it
 * is never replaced once it exists.
 */
export function loadSecretKey(configured: Buffer | undefined, keyFile: string): Buffer {
  return configured ?? readKeyFile(keyFile) ?? createKeyFile(keyFile);
}

function readKeyFile(keyFile: string): Buffer | undefined {
  let mode: number;
  try {
    mode = statSync(keyFile).mode;
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${keyFile} can be read by other users; restrict it with \`chmod 600 ${keyFile}\` and start again.`,
    );
  }
  return parseFrom(keyFile, readFileSync(keyFile, 'utf8'));
}

function createKeyFile(keyFile: string): Buffer {
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  // Written in full under a private name, then linked into place: link fails if the file
  // exists, so of two processes starting at once one wins and the other never reads a
  // half-written key.
  const draft = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(draft, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, keyFile);
    return key;
  } catch (error) {
    if (!hasCode(error, 'EEXIST')) throw error;
    const winner = readKeyFile(keyFile);
    if (!winner) throw error;
    return winner;
  } finally {
    unlinkSync(draft);
  }
}

function parseFrom(source: string, value: string): Buffer {
  try {
    return parseSecretKey(value);
  } catch (error) {
    throw new Error(`${source} does not hold a valid secret key. ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
