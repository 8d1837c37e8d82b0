import type { Page } from '../../store/cursor.js';
import { listDomains as listDomainRows } from '../../store/domains.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { removeLapsedClaims } from './support/domain-claims.js';
import { pageLimit } from '../support/page-limit.js';

/** Roots and sub-domains together, in name order. */
export async function listDomains(
  ctx: ServiceContext,
  actor: Actor,
  opts: { cursor?: string; limit?: number } = {},
): Promise<Page<Domain>> {
  await ctx.store.db
    .transaction()
    .execute((trx) => removeLapsedClaims(ctx, trx, { accountId: actor.accountId }));
  const page = await listDomainRows(ctx.store.db, actor.accountId, {
    cursor: opts.cursor,
    limit: pageLimit(opts.limit),
    roots: actorDomains(actor),
  });
  return { items: page.items.map(toDomain), nextCursor: page.nextCursor };
}
