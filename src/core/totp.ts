import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * RFC 6238 as every authenticator app implements it: SHA-1, 6 digits, 30 s steps. One step of
 * drift either way is accepted (a phone clock a little off, a code typed as it turns over).
 */
export const TOTP_POLICY = {
  issuer: 'Mailwright',
  algorithm: 'SHA1',
  digits: 6,
  periodSeconds: 30,
  driftSteps: 1,
  secretBytes: 20,
  recoveryCodes: 10,
} as const;

/** Longest code accepted in a request: a TOTP code or a recovery code with its dash. */
export const MAX_TOTP_CODE_LENGTH = 32;

const totpOf = (secretBase32: string, email = '') =>
  new TOTP({
    issuer: TOTP_POLICY.issuer,
    label: email,
    algorithm: TOTP_POLICY.algorithm,
    digits: TOTP_POLICY.digits,
    period: TOTP_POLICY.periodSeconds,
    secret: Secret.fromBase32(secretBase32),
  });

/** A new shared secret (base32, what apps accept typed in) and its otpauth:// URI. */
export function newTotpSecret(email: string): { secret: string; uri: string } {
  const secret = new Secret({ size: TOTP_POLICY.secretBytes }).base32;
  return { secret, uri: totpOf(secret, email).toString() };
}

/**
 * The time step a code belongs to when it is valid at `now`, else undefined. The caller
 * refuses a step not after the last one accepted, so a code seen over a shoulder or in a log
 * cannot be replayed within its window.
 */
export function totpStep(secretBase32: string, code: string, now: Date): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d+$/.test(token)) return undefined;
  const totp = totpOf(secretBase32);
  const delta = totp.validate({
    token,
    timestamp: now.getTime(),
    window: TOTP_POLICY.driftSteps,
  });
  return delta === null ? undefined : totp.counter({ timestamp: now.getTime() }) + delta;
}

// No look-alikes (0/O, 1/l/I): codes are read off paper and typed by hand.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_HALF = 5;

/** One-time recovery codes, `xxxxx-xxxxx` (about 49 bits each, stored as SHA-256). */
export function newRecoveryCodes(): string[] {
  const half = () =>
    Array.from(
      { length: RECOVERY_HALF },
      () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
    ).join('');
  return Array.from({ length: TOTP_POLICY.recoveryCodes }, () => `${half()}-${half()}`);
}

/** A recovery code as stored (hashed): case, spaces and the dash do not matter when typed. */
export const normaliseRecoveryCode = (code: string): string =>
  code.toLowerCase().replace(/[\s-]/g, '');

/** Whether a typed code has the shape of a recovery code rather than a TOTP code. */
export const looksLikeRecoveryCode = (code: string): boolean =>
  normaliseRecoveryCode(code).length === 2 * RECOVERY_HALF && /[a-z]/i.test(code);
