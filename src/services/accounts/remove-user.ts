import { notFound } from '../../core/errors.js';
import { normaliseEmail } from '../../core/operator-email.js';
import { appendEvent } from '../../store/events.js';
import { deleteUser } from '../../store/users.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';

/**
 * Takes an operator's access away at once: the user and every session of theirs (the sessions
 * reference the user, ON DELETE CASCADE), so an open console is signed out at its next request.
 */
export async function removeUser(ctx: ServiceContext, actor: Actor, email: string): Promise<void> {
  const normalised = normaliseEmail(email);
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await deleteUser(trx, actor.accountId, normalised))) throw notFound('user', normalised);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'user.removed',
      target: normalised,
      now: nowIso(ctx),
    });
  });
}
