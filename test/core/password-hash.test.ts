import { describe, expect, it } from 'vitest';
import { HASH_PARAMS, hashPassword, verifyPassword } from '../../src/core/password-hash.js';

const DOVECOT_ARGON2ID =
  /^\{ARGON2ID\}\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

describe('hashPassword', () => {
  it('writes the {ARGON2ID} PHC string Dovecot 2.3 verifies', async () => {
    expect(await hashPassword('violet tractor quietly sings')).toMatch(DOVECOT_ARGON2ID);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('describes its parameters', () => {
    expect(HASH_PARAMS).toMatchObject({
      algorithm: 'argon2id',
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
      outputLen: 32,
    });
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('violet tractor quietly sings');
    expect(await verifyPassword('violet tractor quietly sings', stored)).toBe(true);
    expect(await verifyPassword('violet tractor quietly sing', stored)).toBe(false);
  });

  it('refuses an unknown scheme', async () => {
    const stored = await hashPassword('secret password');
    expect(
      await verifyPassword('secret password', stored.replace('{ARGON2ID}', '{SHA512-CRYPT}')),
    ).toBe(false);
    expect(await verifyPassword('secret password', stored.replace('{ARGON2ID}', ''))).toBe(false);
  });

  it('refuses a damaged hash instead of throwing', async () => {
    expect(await verifyPassword('secret password', '{ARGON2ID}$argon2id$garbage')).toBe(false);
  });
});
