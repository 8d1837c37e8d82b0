import { notFound } from '../../core/errors.js';
import { coversAccess } from '../../core/token-scopes.js';
import { deleteApiToken, findTokenAccess } from '../../store/accounts.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';

/**
 * Deletes the token: its next request is a 401. Another account's token is a 404, and so is one
 * the acting token could not have created (wider scopes or domains than its own): a narrowed
 * token cannot lock out the tokens above it.
 */
export async function revokeApiToken(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    if (actor.access) {
      const target = await findTokenAccess(trx, actor.accountId, id);
      if (!target || !coversAccess(actor.access, target)) throw notFound('token', id);
    }
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
