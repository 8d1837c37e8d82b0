import { describe, expect, it } from 'vitest';
import { generateApiToken, hashToken } from '../../src/core/secret-token.js';

describe('generateApiToken', () => {
  it('returns mw_ and 32 random bytes in base64url', () => {
    const token = generateApiToken();
    expect(token).toMatch(/^mw_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
  });

  it('returns a different token each time', () => {
    expect(new Set(Array.from({ length: 100 }, generateApiToken)).size).toBe(100);
  });
});

describe('hashToken', () => {
  it('returns the SHA-256 hex digest', () => {
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
