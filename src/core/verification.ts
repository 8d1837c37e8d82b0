import { randomBytes } from 'node:crypto';

/**
 * Ownership proof: a TXT record at `_mailwright.<root>` holding a per-domain random value. An
 * underscore label cannot collide with a real host, and sub-domains share their root's record
 * because whoever controls the root's zone controls theirs.
 */
export const VERIFICATION_PREFIX = 'mailwright-verification=';

export const newVerificationToken = (): string => randomBytes(18).toString('base64url');

export function verificationRecord(root: string, token: string) {
  return { type: 'TXT' as const, host: `_mailwright.${root}`, value: VERIFICATION_PREFIX + token };
}
