import { notFound, orThrow } from '../../core/errors.js';
import { checkAliasAddress } from '../../core/mail-routing.js';
import { findAlias, type AliasRecord } from '../../store/aliases.js';
import { domainOfAddress, withinDomains } from '../../core/token-scopes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { toAlias, type Alias } from './support/alias-view.js';

/**
 * An alias of the actor's account by its address as typed; another account's, or one outside a
 * domain-restricted token's roots, is not found.
 */
export async function requireAlias(
  ctx: ServiceContext,
  actor: Actor,
  input: string,
  db = ctx.store.db,
): Promise<AliasRecord> {
  const { address } = orThrow('address', checkAliasAddress(input));
  const row = withinDomains(actorDomains(actor), domainOfAddress(address))
    ? await findAlias(db, actor.accountId, address)
    : undefined;
  if (!row) throw notFound('alias', address);
  return row;
}

export async function getAlias(ctx: ServiceContext, actor: Actor, address: string): Promise<Alias> {
  return toAlias(await requireAlias(ctx, actor, address));
}
