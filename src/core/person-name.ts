import { describeCharacter, firstCharacterOutside } from './describe-character.js';
import { fail, ok, type Checked } from './errors.js';

/** In characters, once trimmed with single spaces. */
export const MIN_PERSON_NAME_LENGTH = 2;
export const MAX_PERSON_NAME_LENGTH = 64;
const NAME_CHARACTER = /^[\p{L}\p{M} '’.-]$/u;
const EXAMPLE = 'Josh Smith';

/** Words that name a role or a placeholder rather than a person. */
export const ROLE_WORDS: ReadonlySet<string> = new Set([
  'admin',
  'administrator',
  'user',
  'test',
  'tester',
  'testing',
  'info',
  'support',
  'sales',
  'billing',
  'noreply',
  'no-reply',
  'postmaster',
  'hostmaster',
  'abuse',
  'root',
  'webmaster',
  'mailbox',
  'team',
  'contact',
  'help',
  'office',
  'marketing',
  'hr',
  'it',
  'security',
  'mail',
  'email',
  'demo',
  'example',
  'sample',
  'default',
  'guest',
  'system',
  'service',
  'account',
  'accounts',
  'staff',
  'dev',
  'ops',
  'null',
  'undefined',
  'nobody',
  'anonymous',
  'owner',
  'manager',
]);

// Names are split at hyphens, so role words are compared without them, and adjacent words are
// joined: "No Reply", "No-Reply" and "Post Master" all read as role words.
const ROLE_KEYS: ReadonlySet<string> = new Set(
  [...ROLE_WORDS].map((word) => word.replace(/-/g, '')),
);

/**
 * The real first and last name of a mailbox owner, as recipients will see it in the From
 * header. Returns it trimmed, with single spaces, in NFC so one name is stored one way.
 */
export function checkPersonName(input: string): Checked<string> {
  const name = input.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (name === '')
    return fail('required', `Enter the person's first and last name, like ${EXAMPLE}.`);
  const length = [...name].length;
  if (length < MIN_PERSON_NAME_LENGTH) {
    return fail(
      'too_short',
      `Enter at least ${MIN_PERSON_NAME_LENGTH} characters: a first and last name, like ${EXAMPLE}.`,
    );
  }
  if (length > MAX_PERSON_NAME_LENGTH) {
    return fail(
      'too_long',
      `Shorten the name to at most ${MAX_PERSON_NAME_LENGTH} characters (it has ${length}), for example by leaving out middle names.`,
    );
  }
  const bad = firstCharacterOutside(name, NAME_CHARACTER);
  if (bad !== undefined) return fail('invalid_character', invalidCharacterHint(bad));
  if (name.split(' ').filter((word) => /\p{L}/u.test(word)).length < 2) {
    return fail('not_full_name', `Enter a first and last name, like ${EXAMPLE}.`);
  }
  if (isOnlyRoleWords(nameWords(name))) {
    return fail(
      'not_a_person_name',
      `"${name}" reads as a role, not a person: enter the real first and last name of the person who uses this mailbox, like ${EXAMPLE}.`,
    );
  }
  return ok(name);
}

/** Lowercase words of a name, so a password can be checked for containing them. */
export function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[\s.'’-]+/u)
    .filter((word) => word !== '');
}

function invalidCharacterHint(char: string): string {
  if (/\p{N}/u.test(char)) {
    return `Remove the digit ${describeCharacter(char)}: a person's name cannot contain numbers — for example ${EXAMPLE}.`;
  }
  if (char === '@') {
    return `Remove "@": enter the person's name, not an e-mail address — for example ${EXAMPLE}.`;
  }
  return `Remove ${describeCharacter(char)}: a name can only contain letters, spaces, hyphens, apostrophes and periods — for example Mary-Jane O'Neil.`;
}

/** Whether the words split, in order, into role words, each possibly spread over adjacent words. */
function isOnlyRoleWords(words: string[]): boolean {
  // coverable[i]: the first i words split into role words.
  const coverable = [true];
  for (let end = 1; end <= words.length; end++) {
    let found = false;
    for (let start = 0; start < end && !found; start++) {
      found = coverable[start] === true && ROLE_KEYS.has(words.slice(start, end).join(''));
    }
    coverable.push(found);
  }
  return coverable[words.length] === true;
}
