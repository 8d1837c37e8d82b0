import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compiledOnce } from './compiled-once.js';
import { insertChunks } from './insert-chunks.js';
import type { Database, WebhookDeliveryRow, WebhookDeliveryStatus, WebhookRow } from './schema.js';

export async function insertWebhook(
  db: Kysely<Database>,
  row: Omit<WebhookRow, 'id'>,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('webhooks')
    .values({ id, ...row })
    .execute();
  return id;
}

export function listWebhooks(db: Kysely<Database>, accountId: string): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countWebhooks(db: Kysely<Database>, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findWebhook(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Deletes the endpoint and, by cascade, its deliveries; false when there was none. */
export async function deleteWebhook(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('webhooks')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface OutboxEvent {
  accountId: string;
  type: string;
  /** The delivery body, `{ id, type, createdAt, data }` as JSON. */
  payload: string;
  now: string;
}

/** What an event's outbox entries are chosen by: an endpoint and the types it subscribes to. */
export type Endpoint = Pick<WebhookRow, 'id' | 'account_id' | 'events'>;

/** One account's endpoints, compiled once: every audited change of an account reads them. */
const accountEndpoints = compiledOnce((db: Kysely<Database>, accountId: string) =>
  db
    .selectFrom('webhooks')
    .select(['id', 'account_id', 'events'])
    .where('account_id', '=', accountId),
);

/**
 * Queues a delivery of each event to every endpoint of its account subscribed to its type, in
 * the caller's transaction. One query for the endpoints of all the events' accounts, unless the
 * caller read them already (`endpoints`: all of those accounts', in its transaction).
 */
export async function enqueueDeliveries(
  db: Kysely<Database>,
  events: readonly OutboxEvent[],
  endpoints?: readonly Endpoint[],
): Promise<void> {
  if (events.length === 0) return;
  const accounts = [...new Set(events.map((e) => e.accountId))];
  endpoints ??=
    accounts.length === 1
      ? await accountEndpoints(db, accounts[0]!)
      : await db
          .selectFrom('webhooks')
          .select(['id', 'account_id', 'events'])
          .where('account_id', 'in', accounts)
          .execute();
  if (endpoints.length === 0) return;
  const subscribed = endpoints.map((e) => ({ ...e, types: JSON.parse(e.events) as string[] }));
  const rows = events.flatMap((event) =>
    subscribed
      .filter((e) => e.account_id === event.accountId && e.types.includes(event.type))
      .map((e) => ({
        id: randomUUID(),
        webhook_id: e.id,
        event_type: event.type,
        payload: event.payload,
        status: 'pending' as const,
        next_attempt_at: event.now,
        last_attempt_at: null,
        response_status: null,
        last_error: null,
        created_at: event.now,
      })),
  );
  for (const chunk of insertChunks(rows)) {
    await db.insertInto('webhook_deliveries').values(chunk).execute();
  }
}

export interface DueDelivery extends WebhookDeliveryRow {
  url: string;
  secret_sealed: string;
}

/**
 * Claims up to `limit` due deliveries by pushing their due time to `leaseUntil`, so another
 * dispatcher skips them while this one tries; a dispatcher that dies leaves them due again then.
 */
export async function claimDueDeliveries(
  db: Kysely<Database>,
  now: string,
  leaseUntil: string,
  limit: number,
): Promise<DueDelivery[]> {
  const due = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .selectAll('d')
    .select(['w.url', 'w.secret_sealed'])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
  const claimed: DueDelivery[] = [];
  for (const delivery of due) {
    const result = await db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', delivery.next_attempt_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) claimed.push(delivery);
  }
  return claimed;
}

export async function recordAttempt(
  db: Kysely<Database>,
  id: string,
  outcome: {
    status: WebhookDeliveryStatus;
    attempts: number;
    nextAttemptAt: string | null;
    at: string;
    responseStatus: number | null;
    error: string | null;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: outcome.status,
      attempts: outcome.attempts,
      next_attempt_at: outcome.nextAttemptAt,
      last_attempt_at: outcome.at,
      response_status: outcome.responseStatus,
      last_error: outcome.error,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Deletes these endpoints' settled deliveries created before `before`; pending ones stay. Each
 * endpoint's are found through the (webhook_id, created_at) index, never a table scan.
 */
export async function pruneDeliveries(
  db: Kysely<Database>,
  webhookIds: readonly string[],
  before: string,
): Promise<number> {
  let deleted = 0;
  for (const webhookId of webhookIds) {
    const result = await db
      .deleteFrom('webhook_deliveries')
      .where('webhook_id', '=', webhookId)
      .where('created_at', '<', before)
      .where('status', '<>', 'pending')
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** The endpoint's newest deliveries, newest first. */
export function listDeliveries(
  db: Kysely<Database>,
  webhookId: string,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
