import { ValidationError, orThrow } from '../../../core/errors.js';
import { startsLikeFormula } from '../../../core/credentials-csv.js';
import { checkPassword, generatePassword } from '../../../core/password.js';
import type { ServiceContext } from '../../context.js';
import { sharedHashPool } from '../../jobs/support/hash-pool.js';

/** The form's "Generate random password automatically" checkbox and its Password field. */
export type PasswordChoice = { generate: true } | { generate: false; value?: string };

export interface ChosenPassword {
  hash: string;
  /** Set only when generated: the one moment the plaintext is shown. */
  generated?: string;
}

/** Validates first (cheap), then hashes (slow, off the event loop) — never stores plaintext. */
export function checkPasswordChoice(
  choice: PasswordChoice,
  identity: { localPart?: string; name?: string },
): { plain: string; generated: boolean } {
  if (choice.generate) return { plain: generatePassword(), generated: true };
  if (choice.value === undefined || choice.value === '') {
    throw new ValidationError(
      'password.value',
      'password_required',
      'Enter a password, or turn on "Generate random password automatically".',
    );
  }
  return {
    plain: orThrow('password.value', checkPassword(choice.value, identity)),
    generated: false,
  };
}

/**
 * The same, for a password that goes into a credentials download (bulk and spread jobs). A typed
 * password that starts like a spreadsheet formula is refused: escaping it in the CSV (a leading
 * ') would hand the sending tool a password that does not log in.
 */
export function checkDownloadedPasswordChoice(
  choice: PasswordChoice,
  identity: { localPart?: string; name?: string },
): { plain: string; generated: boolean } {
  const checked = checkPasswordChoice(choice, identity);
  if (!checked.generated && startsLikeFormula(checked.plain)) {
    throw new ValidationError(
      'password.value',
      'password_formula_start',
      'Start the password with another character than =, +, -, @, a tab or a line break: spreadsheets run such a cell of the credentials download as a formula.',
    );
  }
  return checked;
}

/**
 * Hashes on the process's hash pool, the threads bulk jobs use (one per core by default): a
 * single creation or password change then hashes as fast as a bulk one, off the event loop, and
 * never more hashes run at once than there are cores (libuv's pool has 4 threads whatever the
 * cores, and queues file and DNS work behind the hashes).
 */
export async function hashChosen(
  ctx: Pick<ServiceContext, 'hashConcurrency'>,
  checked: { plain: string; generated: boolean },
): Promise<ChosenPassword> {
  const hash = await sharedHashPool(ctx.hashConcurrency).hash(checked.plain);
  return checked.generated ? { hash, generated: checked.plain } : { hash };
}
