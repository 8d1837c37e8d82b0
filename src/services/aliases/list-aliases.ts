import type { Page } from '../../store/cursor.js';
import { listAliases as listAliasRows } from '../../store/aliases.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { pageLimit } from '../support/page-limit.js';
import { toAlias, type Alias } from './support/alias-view.js';

export interface ListAliasesQuery {
  domain?: string;
  /** Address prefix, e.g. `sa` or `@` (the catch-alls). */
  q?: string;
  cursor?: string;
  limit?: number;
}

export async function listAliases(
  ctx: ServiceContext,
  actor: Actor,
  query: ListAliasesQuery = {},
): Promise<Page<Alias>> {
  const limit = pageLimit(query.limit);
  const domainId = query.domain
    ? (await requireDomain(ctx, actor, query.domain, 'domain')).id
    : undefined;
  const page = await listAliasRows(ctx.store.db, actor.accountId, {
    domainId,
    q: query.q?.trim().toLowerCase() || undefined,
    cursor: query.cursor,
    limit,
    roots: actorDomains(actor),
  });
  return { items: page.items.map(toAlias), nextCursor: page.nextCursor };
}
