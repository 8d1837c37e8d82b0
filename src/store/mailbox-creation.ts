import { sql, type Kysely, type QueryCreator } from 'kysely';
import { compiledOnce, valuesOf } from './compiled-once.js';
import { dialectOf } from './dialect.js';
import {
  appendEvent,
  EVENT_COLUMNS,
  enqueueEventWebhooks,
  eventRow,
  type NewEvent,
} from './events.js';
import { capacityCounts, capacitySelect, toCounts, type CapacityCounts } from './limits.js';
import { insertCompleteMailbox, NEW_MAILBOX_COLUMNS } from './mailboxes.js';
import type { Database, NewMailboxRow } from './schema.js';
import type { Endpoint } from './webhooks.js';

export interface CountedCreation {
  row: Required<NewMailboxRow>;
  event: NewEvent;
  /** Start of the hourly window (capacityCounts). */
  since: string;
}

/**
 * A single creation's writes under the account lock (lockAccount first, in the same
 * transaction): the mailbox and its audit event are inserted, and capacityCounts is answered as
 * it stood just before them. The caller refuses from those counts by throwing, which rolls the
 * inserts back with the transaction; a taken address fails the insert on its unique index.
 */
export async function insertMailboxCounted(
  db: Kysely<Database>,
  creation: CountedCreation,
): Promise<CapacityCounts> {
  const { row, event, since } = creation;
  if (dialectOf(db) === 'postgres') {
    const events = eventRow(event);
    const [found] = await countedInsertQuery(
      db,
      row.domain_id,
      row.account_id,
      since,
      row.address,
      ...NEW_MAILBOX_COLUMNS.map((column) => row[column]),
      ...EVENT_COLUMNS.map((column) => events[column]),
    );
    if (!found) throw new Error(`account ${row.account_id} does not exist`);
    await enqueueEventWebhooks(db, [event], found.endpoints ?? []);
    return toCounts(found);
  }
  // SQLite runs each statement in-process, without a round trip, and has no INSERT in WITH.
  const counts = await capacityCounts(db, {
    domainId: row.domain_id,
    accountId: row.account_id,
    since,
    address: row.address,
  });
  await insertCompleteMailbox(db, row);
  await appendEvent(db, event);
  return counts;
}

/**
 * PostgreSQL: the counts, both inserts and the account's webhook endpoints in one statement,
 * each round trip costing the backend and the event loop on the same cores as the hashes.
 * Every part of a statement reads the snapshot it started with, so the counts do not see the
 * rows inserted beside them; taken after the lock, that snapshot sees every creation committed
 * before.
 */
const countedInsertQuery = compiledOnce(
  (
    db: Kysely<Database>,
    domainId: string,
    accountId: string,
    since: string,
    address: string,
    ...values: unknown[]
  ) => {
    const mailbox = values.slice(0, NEW_MAILBOX_COLUMNS.length);
    const event = values.slice(NEW_MAILBOX_COLUMNS.length);
    const from = db
      .with('new_mailbox', (q) =>
        q.insertInto('mailboxes').values(valuesOf(NEW_MAILBOX_COLUMNS, mailbox)).returning('id'),
      )
      .with('new_event', (q) =>
        q.insertInto('events').values(valuesOf(EVENT_COLUMNS, event)).returning('id'),
      );
    return (
      capacitySelect(from as unknown as QueryCreator<Database>, domainId, accountId, since, address)
        // The account's webhook endpoints, which the event's outbox entries are chosen by.
        .select((eb) =>
          eb
            .selectFrom('webhooks')
            .select(
              sql<
                Endpoint[] | null
              >`json_agg(json_build_object('id', id, 'account_id', account_id, 'events', events))`.as(
                'e',
              ),
            )
            .where('account_id', '=', accountId)
            .as('endpoints'),
        )
    );
  },
);
