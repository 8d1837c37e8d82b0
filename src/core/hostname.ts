import { isIP } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { getDomain } from 'tldts';
import { describeCharacter, firstCharacterOutside } from './describe-character.js';
import { fail, ok, type Checked } from './errors.js';

export interface Hostname {
  /** Lowercase A-label (xn--) form: what DNS, Postfix and Dovecot see, so it is the key. */
  name: string;
  /** U-label form, for people to read. */
  unicodeName: string;
}

/** RFC 1035, in the A-label form DNS stores. */
export const MAX_NAME_OCTETS = 253;
export const MAX_LABEL_OCTETS = 63;
const FALLBACK_EXAMPLE = 'example.com';

// `://` catches any URL; the named schemes also catch the slash-less forms people paste.
const SCHEME = /^(?:[a-z][a-z0-9+.-]*:\/\/|(?:https?|ftp|mailto):)/;
// Letters and digits of any script pass here; the A-label conversion then decides whether the
// Unicode is a valid international name.
const HOST_CHARACTER = /^[\p{L}\p{M}\p{Nd}.-]$/u;
// The WHATWG host parser (behind domainToASCII) reads a name whose last label looks numeric
// as an IPv4 address, so such names must be caught before conversion.
const NUMERIC_LABEL = /^(?:[0-9]+|0x[0-9a-f]*)$/;
const LOOKS_LIKE_HOST = /^[\p{L}\p{M}\p{Nd}-]+(?:\.[\p{L}\p{M}\p{Nd}-]+)+$/u;
// Several labels of lowercase ASCII letters, digits and hyphens: the form almost every name
// arrives in (an API client sends the stored name back).
const PLAIN_NAME = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

/**
 * Any syntactically valid multi-label DNS name, typed in any case, in Unicode or as A-labels,
 * with or without one trailing dot.
 */
export function checkHostname(input: string): Checked<Hostname> {
  const typed = normalise(input);
  // A plain name without an A-label, and not ending like a number, passes every shape and
  // character rule and is its own A-label and U-label: the UTS #46 conversions and their round
  // trips (most of a check's time, which every request naming a domain pays) would give it
  // back unchanged. test/core/hostname.property.test.ts proves both paths answer alike.
  if (
    PLAIN_NAME.test(typed) &&
    !typed.includes('xn--') &&
    !NUMERIC_LABEL.test(typed.slice(typed.lastIndexOf('.') + 1))
  ) {
    return checkStoredForms(typed, typed);
  }
  return checkConverted(typed);
}

/**
 * checkHostname without its shortcut for plain names, every name through the WHATWG (UTS #46)
 * conversions: what the shortcut is proven against.
 */
export function checkConvertedHostname(input: string): Checked<Hostname> {
  return checkConverted(normalise(input));
}

function checkConverted(typed: string): Checked<Hostname> {
  if (typed === '') {
    return fail('required', `Enter a domain name, for example ${FALLBACK_EXAMPLE}.`);
  }
  const shape = checkShape(typed);
  if (!shape.ok) return shape;
  const labels = checkLabels(typed);
  if (!labels.ok) return labels;

  const name = domainToASCII(typed);
  const unicodeName = name === '' ? '' : domainToUnicode(name);
  // The stored forms must themselves be accepted inputs that map back to the same name;
  // otherwise a name shown to a user could not be typed back to find the same domain.
  const stable =
    name !== '' &&
    domainToASCII(name) === name &&
    normalise(unicodeName) === unicodeName &&
    domainToASCII(unicodeName) === name;
  if (!stable) {
    return fail(
      'invalid_character',
      `${typed} is not a valid international domain name: check its spelling (including any xn-- part), or type it in its own script, for example bücher.de.`,
    );
  }
  // UTS #46 mapping can turn typed characters into others (full-width digits into an IP
  // address, an xn-- label into a symbol), so the rules run again on what was produced.
  for (const form of [name, unicodeName]) {
    const produced = checkLabels(form);
    if (!produced.ok) return produced;
  }
  return checkStoredForms(name, unicodeName);
}

/** The rules left once the A-label and Unicode forms are known to be valid characters. */
function checkStoredForms(name: string, unicodeName: string): Checked<Hostname> {
  const tooLong = checkLengths(name);
  if (!tooLong.ok) return tooLong;
  // A-labels of non-ASCII labels start with "xn--" and end in a letter or digit, so hyphens
  // typed at an edge only show in the Unicode labels.
  const hyphenated = unicodeName
    .split('.')
    .find((label) => label.startsWith('-') || label.endsWith('-'));
  if (hyphenated !== undefined) {
    const trimmed = hyphenated.replace(/^-+|-+$/g, '');
    return fail(
      'hyphen_edge',
      `"${hyphenated}" starts or ends with a hyphen: each part between dots must begin and end with a letter or digit — for example ${trimmed === '' ? 'mail' : trimmed}.`,
    );
  }
  if (!name.includes('.')) {
    return fail(
      'not_a_domain',
      `${unicodeName} is not a full domain name: enter it with its ending, for example ${FALLBACK_EXAMPLE}.`,
    );
  }
  return ok({ name, unicodeName });
}

/**
 * A domain an account can own: the registrable name right below a public suffix (ICANN or
 * private, so `github.io` is refused but `myname.github.io` is a root).
 */
export function checkRootDomain(input: string): Checked<Hostname> {
  const checked = checkHostname(input);
  if (!checked.ok) return checked;
  const { name, unicodeName } = checked.value;
  const registrable = getDomain(name, { allowPrivateDomains: true, extractHostname: false });
  if (registrable === null) {
    return fail(
      'public_suffix',
      `${unicodeName} is a public suffix that anyone can register names under: enter your own domain below it, for example example.${unicodeName}.`,
    );
  }
  if (registrable === name) return checked;

  // Labels map one to one between the two forms, so the Unicode root and sub-domain can be
  // cut from the Unicode name by count.
  const unicodeLabels = unicodeName.split('.');
  const subCount = unicodeLabels.length - registrable.split('.').length;
  const sub = unicodeLabels.slice(0, subCount).join('.');
  const root = unicodeLabels.slice(subCount).join('.');
  if (sub === 'www') {
    return fail(
      'www_prefix',
      `Enter ${root} without www. — mailboxes belong to the domain itself.`,
    );
  }
  const then = sub.includes('.') ? '' : `, then add ${sub} as a sub-domain`;
  return fail('not_root', `${unicodeName} is a sub-domain: add ${root} as the domain${then}.`);
}

function normalise(input: string): string {
  const value = input.trim().toLowerCase();
  return value.endsWith('.') ? value.slice(0, -1) : value;
}

/** Rejects URLs, e-mail addresses and IP addresses pasted where a bare name belongs. */
function checkShape(typed: string): Checked<string> {
  const scheme = SCHEME.exec(typed)?.[0];
  if (scheme !== undefined) {
    return fail(
      'has_scheme',
      `Enter the domain name only, without ${scheme}${/^www\./.test(typed.slice(scheme.length)) ? ' or www.' : ''} — for example ${exampleFrom(typed)}.`,
    );
  }
  if (typed.includes('@')) {
    return fail(
      'has_userinfo',
      `Enter the domain name only, not an e-mail address: keep the part after the @ — for example ${exampleFrom(typed)}.`,
    );
  }
  const pathStart = typed.search(/[/?#\\]/);
  if (pathStart !== -1) {
    return fail(
      'has_path',
      `Enter the domain name only, without "${excerpt(typed.slice(pathStart))}" — for example ${exampleFrom(typed)}.`,
    );
  }
  if (typed.startsWith('[') || isIP(typed) !== 0) {
    return fail(
      'ip_address',
      `Enter a domain name instead of an IP address, for example ${FALLBACK_EXAMPLE}: mail is addressed to names, not numbers.`,
    );
  }
  const port = /:[0-9]*$/.exec(typed)?.[0];
  if (port !== undefined && typed.indexOf(':') === typed.length - port.length) {
    return fail(
      'has_port',
      `Enter the domain name without the port "${port}" — for example ${exampleFrom(typed)}.`,
    );
  }
  return ok(typed);
}

/** Character and label rules shared by the typed, A-label and Unicode forms. */
function checkLabels(form: string): Checked<string> {
  const bad = firstCharacterOutside(form, HOST_CHARACTER);
  if (bad !== undefined) {
    return fail(
      'invalid_character',
      `Remove ${describeCharacter(bad)}: a domain name can only contain letters, digits, hyphens and dots — for example mail-1.example.com.`,
    );
  }
  const labels = form.split('.');
  if (labels.includes('')) {
    return fail(
      'empty_label',
      `Remove the extra dot: a domain name cannot start with a dot or have two dots in a row — for example ${FALLBACK_EXAMPLE}.`,
    );
  }
  if (labels.every((label) => NUMERIC_LABEL.test(label))) {
    return fail(
      'ip_address',
      `Enter a domain name instead of an IP address, for example ${FALLBACK_EXAMPLE}: mail is addressed to names, not numbers.`,
    );
  }
  if (NUMERIC_LABEL.test(labels[labels.length - 1] ?? '')) {
    return fail(
      'not_a_domain',
      `${form} ends in a number, but a domain name ends in a word such as com — for example ${FALLBACK_EXAMPLE}.`,
    );
  }
  return ok(form);
}

/** Limits of RFC 1035, counted on the A-label form because that is what travels in DNS. */
function checkLengths(name: string): Checked<string> {
  const long = name.split('.').find((label) => label.length > MAX_LABEL_OCTETS);
  if (long !== undefined) {
    return fail(
      'too_long',
      `The part "${excerpt(long)}" is ${long.length} characters long (as stored in DNS); each part between dots can have at most ${MAX_LABEL_OCTETS}, so shorten it.`,
    );
  }
  if (name.length > MAX_NAME_OCTETS) {
    return fail(
      'too_long',
      `The domain name is ${name.length} characters long (as stored in DNS); a name can have at most ${MAX_NAME_OCTETS}, so use a shorter one.`,
    );
  }
  return ok(name);
}

/** The host hidden in a pasted URL or address, to show the user what to enter instead. */
function exampleFrom(typed: string): string {
  const authority = typed.replace(SCHEME, '').split(/[/?#\\]/)[0] ?? '';
  const host = (authority.split('@').pop() ?? '').replace(/:[0-9]*$/, '');
  // Suggest what will be accepted in one go: a pasted "https://www.example.com/" becomes
  // example.com, not www.example.com, which would only fail on the next try.
  const bare = /^www\.[^.]+\./.test(host) ? host.slice('www.'.length) : host;
  return LOOKS_LIKE_HOST.test(bare) && bare.length <= MAX_NAME_OCTETS ? bare : FALLBACK_EXAMPLE;
}

function excerpt(text: string): string {
  const chars = [...text];
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : text;
}
