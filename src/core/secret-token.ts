import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'mw_';
const RANDOM_BYTES = 32;

/** A new API token; the prefix lets secret scanners and people recognise a leaked one. */
export function generateApiToken(): string {
  return PREFIX + randomBytes(RANDOM_BYTES).toString('base64url');
}

/**
 * What is stored instead of the token. A fast hash is enough: 256 random bits leave no
 * dictionary to attack, and lookups stay a single indexed equality.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
