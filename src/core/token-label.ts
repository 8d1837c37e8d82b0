import { fail, ok, type Checked } from './errors.js';
import { invisibleCharacterIn } from './visible-text.js';

/** In characters, after trimming. */
export const MAX_TOKEN_LABEL_LENGTH = 100;

/** What an API token is for, shown in token lists so the right one gets revoked. */
export function checkTokenLabel(input: string): Checked<string> {
  const label = input.trim();
  if (label === '') {
    return fail('required', 'Enter what the token is for, for example "billing sync".');
  }
  const length = [...label].length;
  if (length > MAX_TOKEN_LABEL_LENGTH) {
    return fail(
      'too_long',
      `Use at most ${MAX_TOKEN_LABEL_LENGTH} characters (this has ${length}).`,
    );
  }
  const invisible = invisibleCharacterIn(label);
  if (invisible !== undefined) {
    return fail(
      'invalid_character',
      `Remove ${invisible} from the label: a label is read in token lists, so it may only hold characters that show as themselves.`,
    );
  }
  return ok(label);
}
