import { notFound } from '../../core/errors.js';
import { normaliseEmail } from '../../core/operator-email.js';
import { appendEvent } from '../../store/events.js';
import { deleteSessionsOfUser } from '../../store/sessions.js';
import { clearTotp, findUserIdInAccount } from '../../store/users.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';

/**
 * Operator-only (CLI): for a user who lost their device and their recovery codes. Their TOTP
 * and recovery codes are removed and their sessions end, since the device may be in someone
 * else's hands; they sign in with the password and, if the account requires it, enrol again.
 */
export async function resetTotp(ctx: ServiceContext, actor: Actor, email: string): Promise<void> {
  const normalised = normaliseEmail(email);
  await ctx.store.db.transaction().execute(async (trx) => {
    const userId = await findUserIdInAccount(trx, actor.accountId, normalised);
    if (userId === undefined) throw notFound('user', normalised);
    await clearTotp(trx, userId);
    await deleteSessionsOfUser(trx, userId);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'user.totp_reset',
      target: normalised,
      now: nowIso(ctx),
    });
  });
}
