import { notFound } from '../../core/errors.js';
import { deleteApiToken } from '../../store/accounts.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';

/** Deletes the token: its next request is a 401. Another account's token is a 404. */
export async function revokeApiToken(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await deleteApiToken(trx, actor.accountId, id))) throw notFound('token', id);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'token.revoked',
      target: id,
      now: nowIso(ctx),
    });
  });
}
