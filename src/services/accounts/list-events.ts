import { listEvents as listEventRows } from '../../store/events.js';
import type { Page } from '../../store/cursor.js';
import { ownOnly, type Actor, type ServiceContext } from '../context.js';
import { pageLimit } from '../support/page-limit.js';

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  createdAt: string;
}

/** The account's audit log, newest first; a domain-restricted token's own events only. */
export async function listEvents(
  ctx: ServiceContext,
  actor: Actor,
  opts: { cursor?: string; limit?: number } = {},
): Promise<Page<AuditEvent>> {
  const page = await listEventRows(ctx.store.db, actor.accountId, {
    cursor: opts.cursor,
    limit: pageLimit(opts.limit),
    ...ownOnly(actor),
  });
  return {
    items: page.items.map((e) => ({
      id: e.id,
      actor: e.actor,
      action: e.action,
      target: e.target,
      details: JSON.parse(e.details) as Record<string, unknown>,
      createdAt: e.created_at,
    })),
    nextCursor: page.nextCursor,
  };
}
