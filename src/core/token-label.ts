import { fail, ok, type Checked } from './errors.js';
import { invisibleCharacterIn } from './visible-text.js';

/** In characters, after trimming. */
export const MAX_TOKEN_LABEL_LENGTH = 100;

/** What an API token is for, shown in token lists so the right one gets revoked. */
export const checkTokenLabel = (input: string): Checked<string> =>
  checkLabel(input, { what: 'token', example: 'billing sync' });

/**
 * A label that names a secret in a list (API tokens, app passwords): trimmed, 1 to
 * MAX_TOKEN_LABEL_LENGTH characters, each showing as itself so the right one gets revoked.
 */
export function checkLabel(input: string, of: { what: string; example: string }): Checked<string> {
  const label = input.trim();
  if (label === '') {
    return fail('required', `Enter what the ${of.what} is for, for example "${of.example}".`);
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
      `Remove ${invisible} from the label: a label is read in ${of.what} lists, so it may only hold characters that show as themselves.`,
    );
  }
  return ok(label);
}
