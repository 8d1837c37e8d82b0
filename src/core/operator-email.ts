import { describeCharacter, firstCharacterOutside } from './describe-character.js';
import { fail, ok, type Checked } from './errors.js';
import { checkHostname } from './hostname.js';
import { MAX_ADDRESS_OCTETS, MAX_LOCAL_OCTETS } from './local-part.js';

// RFC 5322 dot-atom characters: wider than a new mailbox's local part, because an operator's
// address lives at any provider (`+` tags included); quoted local parts are left out.
const ATOM_CHARACTER = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]$/;
const EXAMPLE = 'For example jane@example.com.';

/**
 * The email an operator signs in with, lowercased (sign-in compares it byte-wise, and no
 * provider in practice tells Jane@ from jane@) with the domain in A-label form.
 */
export function normaliseEmail(input: string): string {
  return input.trim().toLowerCase();
}

export function checkOperatorEmail(input: string): Checked<string> {
  const typed = normaliseEmail(input);
  if (typed === '') return fail('required', `Enter the email address to sign in with. ${EXAMPLE}`);
  const at = typed.lastIndexOf('@');
  if (at <= 0 || at === typed.length - 1) {
    return fail('invalid_email', `Enter a whole email address with one @. ${EXAMPLE}`);
  }
  const local = typed.slice(0, at);
  const bad = firstCharacterOutside(local, ATOM_CHARACTER);
  if (bad !== undefined) {
    return fail(
      'invalid_character',
      `Remove ${describeCharacter(bad)} from the part before the @: it can hold letters a–z, digits, dots and ${"!#$%&'*+/=?^_`{|}~-"}. ${EXAMPLE}`,
    );
  }
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return fail(
      'invalid_email',
      `The part before the @ cannot start or end with a dot or hold two dots in a row. ${EXAMPLE}`,
    );
  }
  if (local.length > MAX_LOCAL_OCTETS) {
    return fail(
      'too_long',
      `The part before the @ has ${local.length} characters; at most ${MAX_LOCAL_OCTETS} are allowed.`,
    );
  }
  const domain = checkHostname(typed.slice(at + 1));
  if (!domain.ok) return fail(domain.code, `After the @: ${domain.message}`);
  const email = `${local}@${domain.value.name}`;
  if (email.length > MAX_ADDRESS_OCTETS) {
    return fail(
      'too_long',
      `The address has ${email.length} characters; an email address can have at most ${MAX_ADDRESS_OCTETS}.`,
    );
  }
  return ok(email);
}
