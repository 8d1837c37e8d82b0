import { notFound, orThrow } from '../../core/errors.js';
import { checkHostname } from '../../core/hostname.js';
import { findDomain, type DomainRecord } from '../../store/domains.js';
import { withinDomains } from '../../core/token-scopes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { toDomain, type Domain } from './support/domain-view.js';

/**
 * Resolves a domain name typed by a user (any case, Unicode or A-label) within the actor's
 * account. Another account's domain, and one outside a domain-restricted token's roots, is
 * reported exactly like a missing one.
 */
export async function requireDomain(
  ctx: ServiceContext,
  actor: Actor,
  input: string,
  field = 'name',
  db = ctx.store.db,
): Promise<DomainRecord> {
  const name = accessibleDomainName(actor, input, field);
  const row = await findDomain(db, actor.accountId, name);
  if (!row) throw notFound('domain', name);
  return row;
}

/**
 * The stored form (A-label) of a domain name typed by a user, before any lookup: 404 when the
 * actor's token is limited to other domains, as if it did not exist.
 */
export function accessibleDomainName(actor: Actor, input: string, field = 'name'): string {
  const { name } = orThrow(field, checkHostname(input));
  if (!withinDomains(actorDomains(actor), name)) throw notFound('domain', name);
  return name;
}

export async function getDomain(ctx: ServiceContext, actor: Actor, name: string): Promise<Domain> {
  return toDomain(await requireDomain(ctx, actor, name));
}
