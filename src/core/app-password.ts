import { randomInt } from 'node:crypto';
import { generatePassword } from './password.js';

/**
 * A mailbox's app password is `<public id><secret>`: the public id's characters come first so
 * that Dovecot, which verifies only the first row a passdb query returns, can select exactly one
 * app password by `substr(<password>, 1, APP_PASSWORD_ID_LENGTH)` (docs/mail-plane.md). The id
 * is stored in clear and unique; the whole string is stored only as its argon2id hash.
 */
export const APP_PASSWORD_ID_LENGTH = 8;

/** Lowercase letters and digits without look-alikes: the id reads aloud and never needs quoting. */
const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** The secret part: the generator's letters and digits, 24 of them (about 139 bits). */
const SECRET_LENGTH = 24;

/** Per mailbox: one per device or program is the intent, and each login may try them all. */
export const MAX_APP_PASSWORDS_PER_MAILBOX = 20;

/** A new app password from the CSPRNG, with its public id. */
export function generateAppPassword(): { publicId: string; password: string } {
  let publicId = '';
  for (let i = 0; i < APP_PASSWORD_ID_LENGTH; i++) {
    publicId += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  }
  return { publicId, password: publicId + generatePassword(SECRET_LENGTH) };
}
