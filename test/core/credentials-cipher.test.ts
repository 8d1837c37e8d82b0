import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipher, parseSecretKey } from '../../src/core/credentials-cipher.js';

const key = randomBytes(32);

describe('createCipher', () => {
  it('decrypts what it encrypted', () => {
    const cipher = createCipher(key);
    for (const plain of ['', 'Tr0ub4dor&3', 'pässwörd 🔑']) {
      expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
    }
  });

  it('seals as v1. and base64url', () => {
    expect(createCipher(key).encrypt('secret')).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
  });

  it('seals the same text differently each time', () => {
    const cipher = createCipher(key);
    const sealed = new Set(Array.from({ length: 50 }, () => cipher.encrypt('same')));
    expect(sealed.size).toBe(50);
  });

  it('rejects an altered value', () => {
    const cipher = createCipher(key);
    const bytes = Buffer.from(cipher.encrypt('secret').slice(3), 'base64url');
    for (const index of [0, 12, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[index] = (altered[index] ?? 0) ^ 1;
      expect(() => cipher.decrypt(`v1.${altered.toString('base64url')}`)).toThrow(
        'another secret key or has been altered',
      );
    }
  });

  it('rejects a value sealed with another key', () => {
    const sealed = createCipher(key).encrypt('secret');
    expect(() => createCipher(randomBytes(32)).decrypt(sealed)).toThrow('another secret key');
  });

  it('rejects values in another format or cut short', () => {
    const cipher = createCipher(key);
    expect(() => cipher.decrypt('secret')).toThrow('does not start with v1.');
    expect(() => cipher.decrypt(cipher.encrypt('secret').slice(0, 20))).toThrow('truncated');
  });

  it.each([0, 16, 31, 33])('refuses a key of %i bytes', (length) => {
    expect(() => createCipher(randomBytes(length))).toThrow('openssl rand -hex 32');
  });
});

describe('parseSecretKey', () => {
  it.each([
    ['hex', key.toString('hex')],
    ['upper-case hex', key.toString('hex').toUpperCase()],
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['text with a trailing newline', `${key.toString('hex')}\n`],
  ])('reads %s', (_, text) => {
    expect(parseSecretKey(text).equals(key)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    [key.toString('hex').slice(2), 'too short'],
    [randomBytes(16).toString('base64'), '16 bytes'],
    ['correct horse battery staple', 'not an encoding'],
  ])('rejects %j (%s) and says how to make a key', (text) => {
    expect(() => parseSecretKey(text)).toThrow(
      'must be 32 random bytes written as 64 hex characters or base64; make one with `openssl rand -hex 32`',
    );
  });
});
