import { sendWindows } from '../../core/sending.js';
import type { Page } from '../../store/cursor.js';
import { mailboxPageJson } from '../../store/mailbox-page-json.js';
import { dialectOf } from '../../store/dialect.js';
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

/** The store's description of the page a query asks for, at the service's clock. */
async function pageRequest(ctx: ServiceContext, actor: Actor, query: ListMailboxesQuery) {
  const domainId = query.domain
    ? (await requireDomain(ctx, actor, query.domain, 'domain')).id
    : undefined;
  const now = ctx.clock();
  return {
    domainId,
    q: query.q?.trim().toLowerCase() || undefined,
    cursor: query.cursor,
    limit: pageLimit(query.limit),
    roots: actorDomains(actor),
    windows: sendWindows(now),
    now,
  };
}

export async function listMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  query: ListMailboxesQuery = {},
): Promise<Page<Mailbox>> {
  return viewsOf(ctx, actor, await pageRequest(ctx, actor, query));
}

async function viewsOf(
  ctx: ServiceContext,
  actor: Actor,
  request: Awaited<ReturnType<typeof pageRequest>>,
): Promise<Page<Mailbox>> {
  // One statement for the page: rows, send counts and forwarding targets together.
  const page = await listMailboxRows(ctx.store.db, actor.accountId, request);
  return {
    items: page.items.map((row) =>
      mailboxView(
        row,
        sendingView(row, { today: row.sent_today, thisHour: row.sent_this_hour }, request.now),
        row.forward_to,
      ),
    ),
    nextCursor: page.nextCursor,
  };
}

/**
 * The same page as its JSON text, `{"items":[…],"nextCursor":…}`, for the HTTP API: written by
 * SQLite itself (src/store/mailbox-page-json.ts, as UTF-8 bytes), or on PostgreSQL the views
 * written by `serialize`, the API's serializer of a page, which is faster there.
 */
export async function listMailboxesJson(
  ctx: ServiceContext,
  actor: Actor,
  query: ListMailboxesQuery,
  serialize: (page: Page<Mailbox>) => string,
): Promise<string | Buffer> {
  const request = await pageRequest(ctx, actor, query);
  return dialectOf(ctx.store.db) === 'sqlite'
    ? mailboxPageJson(ctx.store.db, actor.accountId, request)
    : serialize(await viewsOf(ctx, actor, request));
}
