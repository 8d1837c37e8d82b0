import { AppError, ValidationError } from '../../../core/errors.js';
import { hashToken } from '../../../core/secret-token.js';
import { looksLikeRecoveryCode, normaliseRecoveryCode, totpStep } from '../../../core/totp.js';
import { appendEvent } from '../../../store/events.js';
import { claimTotpStep, useRecoveryCode, type UserWithAccount } from '../../../store/users.js';
import type { ServiceContext } from '../../context.js';
import { userActorName } from '../console-session.js';

/**
 * Checks a TOTP code (each time step once: a replayed code is refused) or one of the user's
 * recovery codes (deleted as it is used). False when neither; the caller decides what a wrong
 * code costs.
 */
export async function checkSecondFactor(
  ctx: ServiceContext,
  user: UserWithAccount,
  code: string,
): Promise<boolean> {
  const db = ctx.store.db;
  if (looksLikeRecoveryCode(code)) {
    if (!(await useRecoveryCode(db, user.id, hashToken(normaliseRecoveryCode(code))))) {
      return false;
    }
    await appendEvent(db, {
      accountId: user.accountId,
      actor: userActorName(user.email),
      action: 'user.recovery_code_used',
      target: user.email,
      now: ctx.clock().toISOString(),
    });
    return true;
  }
  if (user.totp.secretSealed === null) return false;
  const step = totpStep(ctx.secrets.cipher.decrypt(user.totp.secretSealed), code, ctx.clock());
  return step !== undefined && (await claimTotpStep(db, user.id, step));
}

const WRONG_CODE =
  'The code is wrong or was already used: enter the current 6-digit code from your authenticator app (or one of your recovery codes).';

/** At sign-in: the second credential is wrong. */
export const wrongTotpCode = (): AppError =>
  new AppError('unauthorized', 'invalid_totp_code', WRONG_CODE);

/** In a signed-in form: the `code` field is wrong. */
export const wrongTotpCodeField = (): AppError =>
  new ValidationError('code', 'invalid_totp_code', WRONG_CODE);
