import { appendEvent } from '../../store/events.js';
import { deleteSession } from '../../store/sessions.js';
import type { ConsoleSession } from './console-session.js';
import { nowIso, type ServiceContext } from '../context.js';

/** Ends the session on the server: the cookie's secret no longer opens anything. */
export async function signOut(ctx: ServiceContext, session: ConsoleSession): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.id);
    await appendEvent(trx, {
      accountId: session.actor.accountId,
      actor: session.actor.name,
      action: 'user.signed_out',
      target: session.view.user.email,
      now: nowIso(ctx),
    });
  });
}
