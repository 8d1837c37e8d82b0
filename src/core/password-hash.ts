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

/** @node-rs/argon2's options for HASH_PARAMS; plain data, so worker threads can receive it. */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: HASH_PARAMS.memoryCost,
  timeCost: HASH_PARAMS.timeCost,
  parallelism: HASH_PARAMS.parallelism,
  outputLen: HASH_PARAMS.outputLen,
};

/** The library's PHC string in the form stored and read by Dovecot. */
export const withScheme = (phc: string): string => HASH_PARAMS.scheme + phc;

export async function hashPassword(plain: string): Promise<string> {
  return withScheme(await hash(plain, ARGON2_OPTIONS));
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
