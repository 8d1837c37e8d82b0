import { AppError } from '../../core/errors.js';
import { appendEvent } from '../../store/events.js';
import { deleteLoginAttemptsOf } from '../../store/login-attempts.js';
import { clearTotp, findUserById } from '../../store/users.js';
import { nowIso, type ServiceContext } from '../context.js';
import { userActorName, type ConsoleSession } from './console-session.js';
import { reserveLoginAttempt } from './support/login-rate-limit.js';
import { checkSecondFactor, wrongTotpCodeField } from './support/second-factor.js';

/**
 * Turns the signed-in user's TOTP off, given a current code or a recovery code: a stolen
 * session alone cannot remove the second factor. Wrong codes count toward the sign-in limits,
 * so the session cannot be used to guess codes either.
 */
export async function disableTotp(
  ctx: ServiceContext,
  session: ConsoleSession,
  input: { code: string; ip: string },
): Promise<void> {
  const user = await findUserById(ctx.store.db, session.view.user.id);
  if (!user) throw new Error('a live session always has its user');
  if (user.totp.confirmedAt === null) {
    throw new AppError('conflict', 'totp_not_enabled', 'Two-factor sign-in is not on.');
  }
  if (user.totp.required) {
    throw new AppError(
      'conflict',
      'totp_required_by_account',
      `Account ${user.accountName} requires two-factor sign-in: an operator can lift that with \`mailwright account require-2fa ${user.accountName} off\`, or reset a lost device with \`mailwright user totp-reset\`.`,
    );
  }
  await reserveLoginAttempt(ctx, { email: user.email, ip: input.ip });
  if (!(await checkSecondFactor(ctx, user, input.code))) throw wrongTotpCodeField();
  await ctx.store.db.transaction().execute(async (trx) => {
    await deleteLoginAttemptsOf(trx, user.email);
    await clearTotp(trx, user.id);
    await appendEvent(trx, {
      accountId: user.accountId,
      actor: userActorName(user.email),
      action: 'user.totp_disabled',
      target: user.email,
      now: nowIso(ctx),
    });
  });
}
