import { sql, type Kysely } from 'kysely';
import type { Database, MailboxTable, SendCountTable } from './schema.js';

type PolicyColumns = Pick<
  MailboxTable,
  'warmup_start' | 'warmup_increment' | 'warmup_max' | 'warmup_start_date'
> & { send_daily_limit: number; send_hourly_limit: number };

/** The columns of a mailbox's sending policy, as a row or as the values to write. */
export const POLICY_COLUMNS = [
  'send_daily_limit',
  'send_hourly_limit',
  'warmup_start',
  'warmup_increment',
  'warmup_max',
  'warmup_start_date',
] as const satisfies readonly (keyof PolicyColumns)[];

export type PolicyRow = PolicyColumns;

export interface Windows {
  day: string;
  minute: string;
  hourSince: string;
}

export interface SentCounts {
  today: number;
  thisHour: number;
  /** Start of the oldest minute counted in the rolling hour; null when the hour is empty. */
  oldestMinute: string | null;
}

const nothingSent = (): SentCounts => ({ today: 0, thisHour: 0, oldestMinute: null });

/**
 * Adds one counter row to `c`; false when the row is a minute the rolling hour has left
 * behind, which counts for nothing.
 */
function tally(
  c: SentCounts,
  r: Pick<SendCountTable, 'period' | 'window_start' | 'count'>,
  hourSince: string,
): boolean {
  if (r.period === 'day') c.today = Number(r.count);
  else if (r.window_start < hourSince) return false;
  else {
    c.thisHour += Number(r.count);
    if (c.oldestMinute === null || r.window_start < c.oldestMinute) c.oldestMinute = r.window_start;
  }
  return true;
}

/** What each mailbox sent on `w.day` and in the rolling hour ending at `w.minute`. */
export async function sentCounts(
  db: Kysely<Database>,
  mailboxIds: string[],
  w: Pick<Windows, 'day' | 'hourSince'>,
): Promise<Map<string, SentCounts>> {
  const counts = new Map<string, SentCounts>(mailboxIds.map((id) => [id, nothingSent()]));
  if (mailboxIds.length === 0) return counts;
  const rows = await db
    .selectFrom('send_counts')
    .select(['mailbox_id', 'period', 'window_start', 'count'])
    .where('mailbox_id', 'in', mailboxIds)
    .where((eb) =>
      eb.or([
        eb.and([eb('period', '=', 'day'), eb('window_start', '=', w.day)]),
        eb.and([eb('period', '=', 'minute'), eb('window_start', '>=', w.hourSince)]),
      ]),
    )
    .execute();
  for (const r of rows) tally(counts.get(r.mailbox_id)!, r, w.hourSince);
  return counts;
}

/**
 * Takes the counter locks of the active mailboxes that SASL logins `addresses` send as (on any
 * account: the mail plane knows logins, not accounts): an upsert of each one's `day` row that
 * changes nothing, as the transaction's first statement, holds the row locks on PostgreSQL and
 * the write lock on SQLite until commit. Every decision for one mailbox is thus serialised,
 * across processes; rows are locked in id order, so two transactions locking several never wait
 * on each other in a cycle.
 */
export async function lockSenders(
  db: Kysely<Database>,
  addresses: string[],
  day: string,
): Promise<void> {
  await db
    .insertInto('send_counts')
    .columns(['mailbox_id', 'period', 'window_start', 'count'])
    .expression(
      db
        .selectFrom('mailboxes')
        .select([
          'id',
          sql<'day'>`'day'`.as('period'),
          sql<string>`cast(${day} as text)`.as('window_start'),
          sql<number>`0`.as('count'),
        ])
        .where('address', 'in', addresses)
        .where('active', '=', 1)
        .orderBy('id'),
    )
    .onConflict((oc) =>
      oc
        .columns(['mailbox_id', 'period', 'window_start'])
        .doUpdateSet({ count: sql<number>`send_counts.count` }),
    )
    .execute();
}

export type Sender = PolicyRow & {
  id: string;
  account_id: string;
  address: string;
  sent: SentCounts;
  /** Minute rows older than the rolling hour are still stored (see dropStaleMinutes). */
  staleMinutes: boolean;
};

/**
 * The active mailboxes that logins `addresses` send as, by address, with their policies and
 * what they sent in `w`'s day and rolling hour: one query for a whole batch of decisions.
 */
export async function findSenders(
  db: Kysely<Database>,
  addresses: string[],
  w: Pick<Windows, 'day' | 'hourSince'>,
): Promise<Map<string, Sender>> {
  const rows = await db
    .selectFrom('mailboxes as m')
    .leftJoin('send_counts as c', (join) =>
      join
        .onRef('c.mailbox_id', '=', 'm.id')
        .on((eb) =>
          eb.or([
            eb('c.period', '=', 'minute'),
            eb.and([eb('c.period', '=', 'day'), eb('c.window_start', '=', w.day)]),
          ]),
        ),
    )
    .select([
      'm.id',
      'm.account_id',
      'm.address',
      ...POLICY_COLUMNS.map((c) => `m.${c}` as const),
      'c.period',
      'c.window_start',
      'c.count',
    ])
    .where('m.address', 'in', addresses)
    .where('m.active', '=', 1)
    .execute();
  const senders = new Map<string, Sender>();
  for (const { period, window_start, count, ...mailbox } of rows) {
    let sender = senders.get(mailbox.address);
    if (!sender) {
      sender = { ...mailbox, sent: nothingSent(), staleMinutes: false };
      senders.set(mailbox.address, sender);
    }
    if (period === null || window_start === null || count === null) continue;
    if (!tally(sender.sent, { period, window_start, count }, w.hourSince)) {
      sender.staleMinutes = true;
    }
  }
  return senders;
}

/** Adds each mailbox's `count` recipients to its day and its minute, in one statement. */
export async function countSends(
  db: Kysely<Database>,
  sends: { mailboxId: string; count: number }[],
  w: Pick<Windows, 'day' | 'minute'>,
): Promise<void> {
  if (sends.length === 0) return;
  await db
    .insertInto('send_counts')
    .values(
      sends.flatMap(({ mailboxId, count }) => [
        { mailbox_id: mailboxId, period: 'day' as const, window_start: w.day, count },
        { mailbox_id: mailboxId, period: 'minute' as const, window_start: w.minute, count },
      ]),
    )
    .onConflict((oc) =>
      oc
        .columns(['mailbox_id', 'period', 'window_start'])
        .doUpdateSet({ count: sql<number>`send_counts.count + excluded.count` }),
    )
    .execute();
}

/** Deletes the minutes the rolling hour has left behind: they would only ever be skipped. */
export async function dropStaleMinutes(
  db: Kysely<Database>,
  mailboxIds: string[],
  hourSince: string,
): Promise<void> {
  if (mailboxIds.length === 0) return;
  await db
    .deleteFrom('send_counts')
    .where('mailbox_id', 'in', mailboxIds)
    .where('period', '=', 'minute')
    .where('window_start', '<', hourSince)
    .execute();
}
