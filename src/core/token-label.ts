import { describeCharacter } from './describe-character.js';
import { fail, ok, type Checked } from './errors.js';

const MAX_LENGTH = 100;

/** What an API token is for, shown in token lists so the right one gets revoked. */
export function checkTokenLabel(input: string): Checked<string> {
  const label = input.trim();
  if (label === '') {
    return fail('required', 'Enter what the token is for, for example "billing sync".');
  }
  const length = [...label].length;
  if (length > MAX_LENGTH) {
    return fail('too_long', `Use at most ${MAX_LENGTH} characters (this has ${length}).`);
  }
  const control = /\p{Cc}/u.exec(label)?.[0];
  if (control !== undefined) {
    return fail('invalid_character', `Remove ${describeCharacter(control)} from the label.`);
  }
  return ok(label);
}
