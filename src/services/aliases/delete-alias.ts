import { deleteAlias as deleteAliasRow } from '../../store/aliases.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireAlias } from './get-alias.js';

/** Mail to the address is refused at RCPT again from the mail servers' next lookup on. */
export async function deleteAlias(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
): Promise<void> {
  const alias = await requireAlias(ctx, actor, address);
  await ctx.store.db.transaction().execute(async (trx) => {
    await deleteAliasRow(trx, alias.id);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'alias.deleted',
      target: alias.address,
      now: nowIso(ctx),
    });
  });
}
