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

/**
 * The active mailbox a SASL login sends as, on any account: the policy service answers for the
 * mail plane, which knows logins, not accounts.
 */
export function findSender(
  db: Kysely<Database>,
  address: string,
): Promise<(PolicyRow & { id: string; account_id: string; address: string }) | undefined> {
  return db
    .selectFrom('mailboxes')
    .select(['id', 'account_id', 'address', ...POLICY_COLUMNS])
    .where('address', '=', address)
    .where('active', '=', 1)
    .executeTakeFirst();
}

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

/**
 * Takes the mailbox's counter lock for `day`: an upsert that changes nothing, as the
 * transaction's first statement, holds the row lock on PostgreSQL and the write lock on SQLite
 * until commit. Every policy decision for one mailbox is thus serialised, across processes.
 */
export async function lockSendCounter(
  db: Kysely<Database>,
  mailboxId: string,
  day: string,
): Promise<void> {
  await db
    .insertInto('send_counts')
    .values({ mailbox_id: mailboxId, period: 'day', window_start: day, count: 0 })
    .onConflict((oc) =>
      oc
        .columns(['mailbox_id', 'period', 'window_start'])
        .doUpdateSet({ count: sql<number>`send_counts.count` }),
    )
    .execute();
}

/** What each mailbox sent on `w.day` and in the rolling hour ending at `w.minute`. */
export async function sentCounts(
  db: Kysely<Database>,
  mailboxIds: string[],
  w: Pick<Windows, 'day' | 'hourSince'>,
): Promise<Map<string, SentCounts>> {
  const counts = new Map<string, SentCounts>(
    mailboxIds.map((id) => [id, { today: 0, thisHour: 0, oldestMinute: null }]),
  );
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
  for (const r of rows as SendCountTable[]) {
    const c = counts.get(r.mailbox_id)!;
    if (r.period === 'day') c.today = Number(r.count);
    else {
      c.thisHour += Number(r.count);
      if (c.oldestMinute === null || r.window_start < c.oldestMinute) {
        c.oldestMinute = r.window_start;
      }
    }
  }
  return counts;
}

/** Counts one recipient in the day and the minute, and drops minutes the hour has left behind. */
export async function countSend(
  db: Kysely<Database>,
  mailboxId: string,
  w: Windows,
): Promise<void> {
  await db
    .updateTable('send_counts')
    .set({ count: sql<number>`count + 1` })
    .where('mailbox_id', '=', mailboxId)
    .where('period', '=', 'day')
    .where('window_start', '=', w.day)
    .execute();
  await db
    .insertInto('send_counts')
    .values({ mailbox_id: mailboxId, period: 'minute', window_start: w.minute, count: 1 })
    .onConflict((oc) =>
      oc
        .columns(['mailbox_id', 'period', 'window_start'])
        .doUpdateSet({ count: sql<number>`send_counts.count + 1` }),
    )
    .execute();
  await db
    .deleteFrom('send_counts')
    .where('mailbox_id', '=', mailboxId)
    .where('period', '=', 'minute')
    .where('window_start', '<', w.hourSince)
    .execute();
}
