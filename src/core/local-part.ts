import { describeCharacter, firstCharacterOutside } from './describe-character.js';
import { fail, ok, type Checked } from './errors.js';

/** RFC 5321: the part before the @. */
export const MAX_LOCAL_OCTETS = 64;
/** RFC 5321: no address is longer, so no prefix of one is either. */
export const MAX_ADDRESS_OCTETS = 254;
// Deliberately narrower than RFC 5322: these survive every mail client, CSV and shell, and `+`
// stays free for sub-addressing.
const LOCAL_CHARACTER = /^[a-z0-9._-]$/;

/** The part before the @ of a new mailbox under the A-label `domain`; returns it normalised. */
export function checkLocalPart(input: string, domain: string): Checked<string> {
  const local = input.trim().toLowerCase();
  if (local === '') return fail('required', 'Enter the part before the @, for example josh.smith.');
  const bad = firstCharacterOutside(local, LOCAL_CHARACTER);
  if (bad !== undefined) {
    return fail(
      'invalid_character',
      `Remove ${describeCharacter(bad)}: the part before the @ can only contain letters a–z, digits, dots, underscores and hyphens — for example josh.smith.`,
    );
  }
  if (local.startsWith('.') || local.endsWith('.')) {
    return fail(
      'dot_edge',
      'Remove the dot at the start or end: the part before the @ must begin and end with a letter, digit, underscore or hyphen — for example josh.smith.',
    );
  }
  // Mail programs read a leading hyphen as an option: Postfix refuses such a recipient
  // (allow_min_user = no) before it could reach Dovecot.
  if (local.startsWith('-')) {
    return fail(
      'hyphen_start',
      'Remove the hyphen at the start: the part before the @ must begin with a letter, digit or underscore — for example josh-smith rather than -josh.',
    );
  }
  if (local.includes('..')) {
    return fail(
      'double_dot',
      'Use a single dot between words, for example josh.smith rather than josh..smith.',
    );
  }
  if (local.length > MAX_LOCAL_OCTETS) {
    return fail(
      'too_long',
      `The part before the @ has ${local.length} characters; the most allowed is ${MAX_LOCAL_OCTETS}, so shorten it.`,
    );
  }
  const address = `${local}@${domain}`;
  if (address.length > MAX_ADDRESS_OCTETS) {
    return fail(
      'address_too_long',
      `${address} would be ${address.length} characters long; an e-mail address can have at most ${MAX_ADDRESS_OCTETS}, so shorten the part before the @.`,
    );
  }
  return ok(local);
}
