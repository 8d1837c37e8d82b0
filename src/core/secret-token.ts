import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'mw_';
const RANDOM_BYTES = 32;

/** 256 random bits, URL- and cookie-safe: session secrets and CSRF tokens. */
export function generateSecret(): string {
  return randomBytes(RANDOM_BYTES).toString('base64url');
}

/** A new API token; the prefix lets secret scanners and people recognise a leaked one. */
export function generateApiToken(): string {
  return PREFIX + generateSecret();
}

/**
 * What is stored instead of the token. A fast hash is enough: 256 random bits leave no
 * dictionary to attack, and lookups stay a single indexed equality.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Compares a presented secret with the expected one in time independent of where they differ;
 * hashing first gives both sides the same length, which timingSafeEqual requires.
 */
export function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(
    createHash('sha256').update(presented).digest(),
    createHash('sha256').update(expected).digest(),
  );
}
