import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { isWebhookEvent } from '../core/webhook-events.js';
import { decodeCursor, toPage, type Page } from './cursor.js';
import { compiledInsert } from './compiled-once.js';
import { insertChunks } from './insert-chunks.js';
import type { Database, EventRow, EventTable } from './schema.js';
import { enqueueDeliveries, type Endpoint } from './webhooks.js';

export interface NewEvent {
  accountId: string;
  actor: string;
  action: string;
  target: string;
  /** Non-secret facts only: never a password, hash or token. */
  details?: Record<string, unknown>;
  now: string;
}

export async function appendEvent(db: Kysely<Database>, event: NewEvent): Promise<void> {
  await insertEventRow(db, eventRow(event));
  await enqueueEventWebhooks(db, [event]);
}

/** Every column of an event that a change writes; the id is the database's. */
export const EVENT_COLUMNS = [
  'account_id',
  'actor',
  'action',
  'target',
  'details',
  'created_at',
] as const satisfies readonly (keyof Insertable<EventTable>)[];

/** A single event's INSERT, compiled once: most changes write one. */
const insertEventRow = compiledInsert('events', EVENT_COLUMNS);

export const eventRow = (event: NewEvent) => ({
  account_id: event.accountId,
  actor: event.actor,
  action: event.action,
  target: event.target,
  details: JSON.stringify(event.details ?? {}),
  created_at: event.now,
});

/** The outbox entries of the events webhook endpoints may subscribe to. */
const webhookEvents = (events: readonly NewEvent[]) =>
  events
    .filter((event) => isWebhookEvent(event.action))
    .map((event) => ({
      accountId: event.accountId,
      type: event.action,
      payload: JSON.stringify({
        id: randomUUID(),
        type: event.action,
        createdAt: event.now,
        data: { target: event.target, actor: event.actor, ...event.details },
      }),
      now: event.now,
    }));

/** Newest first; the cursor is the id of the last event returned. */
export async function listEvents(
  db: Kysely<Database>,
  accountId: string,
  opts: { cursor?: string; limit: number; actor?: string },
): Promise<Page<EventRow>> {
  const before = decodeCursor(opts.cursor, (key) => /^\d{1,15}$/.test(key));
  let query = db.selectFrom('events').selectAll().where('account_id', '=', accountId);
  if (opts.actor !== undefined) query = query.where('actor', '=', opts.actor);
  if (before !== undefined) query = query.where('id', '<', Number(before));
  const rows = await query
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  return toPage(rows, opts.limit, (r) => String(r.id));
}

/**
 * Appends audit events, and queues the webhook deliveries of those that endpoints subscribe to
 * in the same transaction (the outbox): a change and its webhooks commit together.
 */
export async function appendEvents(db: Kysely<Database>, events: NewEvent[]): Promise<void> {
  for (const chunk of insertChunks(events)) {
    await db.insertInto('events').values(chunk.map(eventRow)).execute();
  }
  await enqueueEventWebhooks(db, events);
}

/**
 * The webhook half of appendEvents, for events whose rows a statement of their own inserted
 * (eventRow): the outbox entries of those that endpoints subscribe to, the endpoints given
 * when that statement read them too.
 */
export async function enqueueEventWebhooks(
  db: Kysely<Database>,
  events: readonly NewEvent[],
  endpoints?: readonly Endpoint[],
): Promise<void> {
  await enqueueDeliveries(db, webhookEvents(events), endpoints);
}
