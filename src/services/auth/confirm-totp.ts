import { AppError } from '../../core/errors.js';
import { hashToken } from '../../core/secret-token.js';
import { newRecoveryCodes, normaliseRecoveryCode, totpStep } from '../../core/totp.js';
import { appendEvent } from '../../store/events.js';
import { confirmTotp as storeConfirmTotp, findUserById } from '../../store/users.js';
import type { ServiceContext } from '../context.js';
import { userActorName, type ConsoleSession } from './console-session.js';
import { wrongTotpCodeField } from './support/second-factor.js';

/**
 * The first code from the app turns TOTP on and answers the recovery codes, once: only their
 * SHA-256 is kept. That code's time step counts as used.
 */
export async function confirmTotp(
  ctx: ServiceContext,
  session: ConsoleSession,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const user = await findUserById(ctx.store.db, session.view.user.id);
  if (!user) throw new Error('a live session always has its user');
  if (user.totp.secretSealed === null || user.totp.confirmedAt !== null) {
    throw new AppError(
      'conflict',
      'totp_not_pending',
      user.totp.confirmedAt === null
        ? 'Start the set-up first (POST /v1/session/totp), then confirm a code from the app.'
        : 'Two-factor sign-in is already on.',
    );
  }
  const now = ctx.clock();
  const step = totpStep(ctx.secrets.cipher.decrypt(user.totp.secretSealed), code, now);
  if (step === undefined) throw wrongTotpCodeField();
  const recoveryCodes = newRecoveryCodes();
  await ctx.store.db.transaction().execute(async (trx) => {
    await storeConfirmTotp(trx, user.id, {
      now: now.toISOString(),
      step,
      recoveryCodeHashes: recoveryCodes.map((c) => hashToken(normaliseRecoveryCode(c))),
    });
    await appendEvent(trx, {
      accountId: user.accountId,
      actor: userActorName(user.email),
      action: 'user.totp_enabled',
      target: user.email,
      now: now.toISOString(),
    });
  });
  return { recoveryCodes };
}
