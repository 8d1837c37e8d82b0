import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { loadSecretKey } from '../../src/app/secret-key.js';

const keyFileIn = (dir = mkdtempSync(join(tmpdir(), 'mailwright-key-'))) =>
  join(dir, 'nested', 'secret.key');

/** The key as a process started with `env` gets it: MAILWRIGHT_SECRET_KEY read by the configuration. */
const load = (env: Record<string, string>, keyFile: string) =>
  loadSecretKey(loadConfig(env).secretKey, keyFile);

const run = async (file: string, args: string[]) => (await promisify(execFile)(file, args)).stdout;

describe('loadSecretKey', () => {
  it('creates a private key file on first use and reuses it', () => {
    const keyFile = keyFileIn();
    const key = load({}, keyFile);
    expect(key.length).toBe(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toBe(`${key.toString('hex')}\n`);
    expect(load({}, keyFile).equals(key)).toBe(true);
  });

  it('reads a key file written by someone else', () => {
    const keyFile = keyFileIn();
    load({}, keyFile);
    const key = randomBytes(32);
    writeFileSync(keyFile, key.toString('base64'));
    expect(load({}, keyFile).equals(key)).toBe(true);
  });

  it('prefers MAILWRIGHT_SECRET_KEY and then creates no file', () => {
    const keyFile = keyFileIn();
    const key = randomBytes(32);
    const loaded = load({ MAILWRIGHT_SECRET_KEY: key.toString('hex') }, keyFile);
    expect(loaded.equals(key)).toBe(true);
    expect(() => statSync(keyFile)).toThrow();
  });

  it('treats an empty MAILWRIGHT_SECRET_KEY as unset', () => {
    const keyFile = keyFileIn();
    const key = load({ MAILWRIGHT_SECRET_KEY: ' ' }, keyFile);
    expect(load({}, keyFile).equals(key)).toBe(true);
  });

  it('names the variable and says how to make a key when MAILWRIGHT_SECRET_KEY is bad', () => {
    expect(() => load({ MAILWRIGHT_SECRET_KEY: 'hunter2' }, keyFileIn())).toThrow(
      /^MAILWRIGHT_SECRET_KEY must be 64 hex characters .*openssl rand -hex 32/,
    );
  });

  it('names the file when it holds no valid key', () => {
    const keyFile = keyFileIn();
    load({}, keyFile);
    writeFileSync(keyFile, 'not a key');
    expect(() => load({}, keyFile)).toThrow(`${keyFile} does not hold a valid secret key`);
  });

  it.each([0o640, 0o604])('refuses a key file with mode %o and says how to fix it', (mode) => {
    const keyFile = keyFileIn();
    load({}, keyFile);
    chmodSync(keyFile, mode);
    expect(() => load({}, keyFile)).toThrow(`chmod 600 ${keyFile}`);
  });
});

describe('loadSecretKey in processes starting at once', () => {
  it('gives every process the same key', async () => {
    const keyFile = keyFileIn();
    const module = new URL('../../src/app/secret-key.ts', import.meta.url).href;
    const script = `const { loadSecretKey } = await import(${JSON.stringify(module)});
      process.stdout.write(loadSecretKey(undefined, ${JSON.stringify(keyFile)}).toString('hex'));`;
    const keys = await Promise.all(
      Array.from({ length: 6 }, () =>
        run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]),
      ),
    );
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(readFileSync(keyFile, 'utf8').trim());
  });
});
