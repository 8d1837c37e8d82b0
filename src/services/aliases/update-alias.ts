import { appendEvent } from '../../store/events.js';
import { findAlias, replaceAliasTargets, touchAlias } from '../../store/aliases.js';
import { lockAccount } from '../../store/limits.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireAlias } from './get-alias.js';
import { toAlias, type Alias } from './support/alias-view.js';
import { checkRouteTargets } from './support/route-targets.js';

/** Replaces an alias's targets, under the same rules as creation. */
export async function updateAlias(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
  input: { targets: string[] },
): Promise<Alias> {
  const current = await requireAlias(ctx, actor, address);
  const targets = await checkRouteTargets(ctx.store.db, actor, input.targets, {
    field: 'targets',
    start: current.address,
    selfHint: 'An alias cannot deliver to itself; list where its mail should go.',
  });
  if (JSON.stringify(targets) === JSON.stringify(current.targets)) return toAlias(current);
  const now = nowIso(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    await replaceAliasTargets(trx, current.id, targets);
    await touchAlias(trx, current.id, now);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'alias.updated',
      target: current.address,
      details: { targets },
      now,
    });
  });
  return toAlias((await findAlias(ctx.store.db, actor.accountId, current.address))!);
}
