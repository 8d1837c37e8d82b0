import { sendWindows } from '../../core/sending.js';
import type { Page } from '../../store/cursor.js';
import { listMailboxes as listMailboxRows } from '../../store/mailboxes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { mailboxView, type Mailbox } from './support/mailbox-view.js';
import { sendingView } from './support/sending-view.js';
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
  const now = ctx.clock();
  // One statement for the page: rows, send counts and forwarding targets together.
  const page = await listMailboxRows(ctx.store.db, actor.accountId, {
    domainId,
    q,
    cursor: query.cursor,
    limit,
    roots: actorDomains(actor),
    windows: sendWindows(now),
  });
  return {
    items: page.items.map((row) =>
      mailboxView(
        row,
        sendingView(row, { today: row.sent_today, thisHour: row.sent_this_hour }, now),
        row.forward_to,
      ),
    ),
    nextCursor: page.nextCursor,
  };
}
