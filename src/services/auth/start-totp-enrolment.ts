import { AppError } from '../../core/errors.js';
import { newTotpSecret } from '../../core/totp.js';
import { findUserById, setPendingTotp } from '../../store/users.js';
import type { ServiceContext } from '../context.js';
import type { ConsoleSession } from './console-session.js';

/**
 * A new TOTP secret for the signed-in user, shown once: it waits (sealed with the server key)
 * for its first code, so TOTP is on only once the app really produces codes. Starting again
 * replaces a pending secret; an enabled one must be disabled first, so a stolen session cannot
 * swap the device silently.
 */
export async function startTotpEnrolment(
  ctx: ServiceContext,
  session: ConsoleSession,
): Promise<{ secret: string; uri: string }> {
  const user = await findUserById(ctx.store.db, session.view.user.id);
  if (!user) throw new Error('a live session always has its user');
  if (user.totp.confirmedAt !== null) {
    throw new AppError(
      'conflict',
      'totp_already_enabled',
      'Two-factor sign-in is already on: turn it off with a current code first, then set up the new device.',
    );
  }
  const enrolment = newTotpSecret(user.email);
  await setPendingTotp(ctx.store.db, user.id, ctx.secrets.cipher.encrypt(enrolment.secret));
  return enrolment;
}
