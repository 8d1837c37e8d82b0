import type { Page } from '../../store/cursor.js';
import { listMailboxes as listMailboxRows } from '../../store/mailboxes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { toMailboxes, type Mailbox } from './support/mailbox-view.js';
import { pageLimit } from '../support/page-limit.js';

export interface ListMailboxesQuery {
  domain?: string;
  /** Address prefix, e.g. `jo` or `josh@sales.` */
  q?: string;
  cursor?: string;
  limit?: number;
}

export async function listMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  query: ListMailboxesQuery = {},
): Promise<Page<Mailbox>> {
  const limit = pageLimit(query.limit);
  const domainId = query.domain
    ? (await requireDomain(ctx, actor, query.domain, 'domain')).id
    : undefined;
  const q = query.q?.trim().toLowerCase() || undefined;
  const page = await listMailboxRows(ctx.store.db, actor.accountId, {
    domainId,
    q,
    cursor: query.cursor,
    limit,
    roots: actorDomains(actor),
  });
  return { items: await toMailboxes(ctx, page.items), nextCursor: page.nextCursor };
}
