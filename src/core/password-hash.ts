import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * OWASP's minimum Argon2id profile, written in the `{ARGON2ID}` PHC form Dovecot 2.3 verifies,
 * so mail clients log in against the same hash the platform stores.
 */
export const HASH_PARAMS = {
  scheme: '{ARGON2ID}',
  algorithm: 'argon2id',
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

// `Algorithm` is a const enum, which per-file transpilers (vitest, tsx) cannot inline, so the
// value is spelled out and only its type is imported.
const ARGON2ID: Algorithm.Argon2id = 2;

export async function hashPassword(plain: string): Promise<string> {
  const phc = await hash(plain, {
    algorithm: ARGON2ID,
    memoryCost: HASH_PARAMS.memoryCost,
    timeCost: HASH_PARAMS.timeCost,
    parallelism: HASH_PARAMS.parallelism,
    outputLen: HASH_PARAMS.outputLen,
  });
  return HASH_PARAMS.scheme + phc;
}

/** False for a wrong password, an unknown scheme or a damaged hash: all mean "do not log in". */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  if (!stored.startsWith(HASH_PARAMS.scheme)) return false;
  try {
    return await verify(stored.slice(HASH_PARAMS.scheme.length), plain);
  } catch {
    return false;
  }
}
