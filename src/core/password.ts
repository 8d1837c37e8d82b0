import { randomInt } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';
import { fail, ok, type Checked } from './errors.js';
import {
  MAX_PASSWORD_LENGTH as MAX_LENGTH,
  MIN_PASSWORD_LENGTH as MIN_LENGTH,
  MIN_PASSWORD_SCORE as MIN_SCORE,
} from './password-policy.js';
import { nameWords } from './person-name.js';

/**
 * Letters and digits without look-alikes (0 O 1 l I), and no symbols, so a generated password
 * can be read aloud and survives CSV files, shells and cold-email tools unquoted.
 */
export const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

const MIN_GENERATED_LENGTH = 20;
const MIN_IDENTITY_LENGTH = 3;

/** A random password of `length` alphabet characters with at least one upper, lower and digit. */
export function generatePassword(length = 24): string {
  if (!Number.isInteger(length) || length < MIN_GENERATED_LENGTH || length > MAX_LENGTH) {
    throw new RangeError(
      `Generated passwords have ${MIN_GENERATED_LENGTH} to ${MAX_LENGTH} characters, not ${length}.`,
    );
  }
  // Redrawing the whole password, rather than placing one character of each kind, keeps every
  // accepted password equally likely.
  for (;;) {
    let password = '';
    for (let i = 0; i < length; i++)
      password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
    if (/[A-Z]/.test(password) && /[a-z]/.test(password) && /[0-9]/.test(password)) return password;
  }
}

/**
 * A password chosen by a person. It is not trimmed, since spaces are legal inside passphrases;
 * `identity` is the mailbox it is for, whose names must not appear in it.
 */
export function checkPassword(
  value: string,
  identity: { localPart?: string; name?: string },
): Checked<string> {
  if (value.trim() === '') {
    return fail(
      'password_required',
      `Enter a password of ${MIN_LENGTH} to ${MAX_LENGTH} characters, not only spaces — or generate one.`,
    );
  }
  const length = [...value].length;
  if (length < MIN_LENGTH) {
    return fail(
      'password_too_short',
      `Use at least ${MIN_LENGTH} characters (this has ${length}): a few unrelated words make a long password easy to remember.`,
    );
  }
  if (length > MAX_LENGTH) {
    return fail('password_too_long', `Use at most ${MAX_LENGTH} characters (this has ${length}).`);
  }
  // Lone surrogates are included: they have no UTF-8 form, so the mail server could never match them.
  const control = /[\p{Cc}\p{Cs}]/u.exec(value)?.[0];
  if (control !== undefined) {
    const hex = (control.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return fail(
      'invalid_character',
      `Remove the control character U+${hex} (such as a tab or line break): a password can contain letters, digits, spaces and symbols.`,
    );
  }

  const words = identityWords(identity);
  const lower = value.toLowerCase();
  const found = words.find((word) => lower.includes(word));
  if (found !== undefined) {
    return fail(
      'password_contains_identity',
      `Leave "${found}" out of the password: it is part of the mailbox's name or address, which is the first thing an attacker tries.`,
    );
  }

  const result = strengthEstimator().check(value, words);
  if (result.score < MIN_SCORE) {
    const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(
      (line): line is string => typeof line === 'string' && line !== '',
    );
    return fail(
      'password_weak',
      ['Choose a password that is harder to guess, or generate one.', ...advice].join(' '),
    );
  }
  return ok(value);
}

/** Local part (whole and per piece) and name words long enough to be recognisable. */
function identityWords(identity: { localPart?: string; name?: string }): string[] {
  const local = (identity.localPart ?? '').toLowerCase();
  const candidates = [local, ...local.split(/[._-]+/), ...nameWords(identity.name ?? '')];
  const long = candidates.filter((word) => [...word].length >= MIN_IDENTITY_LENGTH);
  return [...new Set(long)];
}

let estimator: ZxcvbnFactory | undefined;

// Building the ranked dictionaries takes about 100 ms, paid only once a password is checked.
function strengthEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEnglish.translations,
  });
  return estimator;
}
