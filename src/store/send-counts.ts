import { sql, type Kysely } from 'kysely';
import { PREPARED } from './database.js';
import { dialectOf } from './dialect.js';
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
  /** Each minute of the rolling hour that counted a send, by its start, as stored. */
  minutes: Map<string, number>;
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
      sender = { ...mailbox, sent: nothingSent(), minutes: new Map(), staleMinutes: false };
      senders.set(mailbox.address, sender);
    }
    if (period === null || window_start === null || count === null) continue;
    if (!tally(sender.sent, { period, window_start, count }, w.hourSince)) {
      sender.staleMinutes = true;
    } else if (period === 'minute') {
      sender.minutes.set(window_start, Number(count));
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

/**
 * A mailbox's counts as the last decision that this process committed for it left them: what
 * `countIfUnchanged` compares with the database.
 */
export interface KnownCounts {
  mailboxId: string;
  address: string;
  policy: PolicyRow;
  /** The day row's count on `day` when it was last read or written; the day row exists. */
  today: number;
  /** The new day count to store: `today` plus what this batch allowed (equal: none allowed). */
  newToday: number;
  /** Some minute rows of this mailbox are older than the rolling hour: delete them. */
  pruneMinutes: boolean;
}

/**
 * Adds each mailbox's newly allowed recipients to its day and its minute, provided nothing
 * changed since this process last saw it: its day row still holds `today` (counts only grow
 * within a day, so an equal count means no other decision counted since, in this process or
 * another), and the mailbox is still active under the same address and policy. Returns the ids
 * of the mailboxes it counted; the others changed, and their decisions must be taken again on
 * fresh counts (`lockSenders`, `findSenders`).
 */
export async function countIfUnchanged(
  db: Kysely<Database>,
  known: KnownCounts[],
  w: Windows,
): Promise<Set<string>> {
  if (known.length === 0) return new Set();
  if (dialectOf(db) === 'postgres') return countIfUnchangedPostgres(db, known, w);
  return db.isTransaction
    ? countIfUnchangedSqlite(db, known, w)
    : db.transaction().execute((trx) => countIfUnchangedSqlite(trx, known, w));
}

/**
 * PostgreSQL: one statement. The day rows are locked in id order (`for update`, as
 * `lockSenders` does) before they are written, and a row another transaction changed meanwhile
 * is compared again once that one commits (READ COMMITTED re-reads the locked row): a stale
 * count never passes.
 */
async function countIfUnchangedPostgres(
  db: Kysely<Database>,
  known: KnownCounts[],
  w: Windows,
): Promise<Set<string>> {
  const column = <T>(of: (k: KnownCounts) => T) => known.map(of);
  // Arrays rather than a VALUES list, so the text is the same for every batch: prepared once.
  const { rows } = await sql<{ mailbox_id: string }>`${sql.raw(PREPARED)}
    with v (mailbox_id, address, seen, today, prune, daily, hourly, ws, wi, wm, wsd) as (
      select * from unnest(
        cast(${column((k) => k.mailboxId)} as text[]),
        cast(${column((k) => k.address)} as text[]),
        cast(${column((k) => k.today)} as integer[]),
        cast(${column((k) => k.newToday)} as integer[]),
        cast(${column((k) => k.pruneMinutes)} as boolean[]),
        cast(${column((k) => k.policy.send_daily_limit)} as integer[]),
        cast(${column((k) => k.policy.send_hourly_limit)} as integer[]),
        cast(${column((k) => k.policy.warmup_start)} as integer[]),
        cast(${column((k) => k.policy.warmup_increment)} as integer[]),
        cast(${column((k) => k.policy.warmup_max)} as integer[]),
        cast(${column((k) => k.policy.warmup_start_date)} as text[])
      )
    ),
    locked as (
      select c.mailbox_id, v.today, v.seen, v.prune
      from send_counts c
      join v on v.mailbox_id = c.mailbox_id
      join mailboxes m on m.id = c.mailbox_id
      where c.period = 'day' and c.window_start = cast(${w.day} as text) and c.count = v.seen
        and m.active = 1 and m.address = v.address
        and m.send_daily_limit = v.daily and m.send_hourly_limit = v.hourly
        and m.warmup_start is not distinct from v.ws
        and m.warmup_increment is not distinct from v.wi
        and m.warmup_max is not distinct from v.wm
        and m.warmup_start_date is not distinct from v.wsd
      order by c.mailbox_id
      for update of c
    ),
    day as (
      update send_counts c set count = locked.today
      from locked
      where c.mailbox_id = locked.mailbox_id and c.period = 'day' and c.window_start = cast(${w.day} as text)
      returning c.mailbox_id
    ),
    minute as (
      insert into send_counts (mailbox_id, period, window_start, count)
      select mailbox_id, 'minute', cast(${w.minute} as text), today - seen from locked where today > seen
      on conflict (mailbox_id, period, window_start)
      do update set count = send_counts.count + excluded.count
    ),
    stale as (
      delete from send_counts s using locked
      where locked.prune and s.mailbox_id = locked.mailbox_id
        and s.period = 'minute' and s.window_start < cast(${w.hourSince} as text)
    )
    select mailbox_id from day
  `.execute(db);
  return new Set(rows.map((r) => r.mailbox_id));
}

/**
 * SQLite: in one transaction (SQLite runs no writes in a CTE), the comparing UPDATE first, so
 * it takes the database's write lock before it reads anything: no other connection, in this
 * process or another, writes between its comparison and the commit. The batch goes as one JSON
 * parameter, so the text is the same for every batch and its compiled statement is reused.
 */
async function countIfUnchangedSqlite(
  trx: Kysely<Database>,
  known: KnownCounts[],
  w: Windows,
): Promise<Set<string>> {
  const batch = JSON.stringify(
    known.map((k) => ({
      id: k.mailboxId,
      address: k.address,
      ...k.policy,
      seen: k.today,
      today: k.newToday,
    })),
  );
  const { rows } = await sql<{ mailbox_id: string }>`
    update send_counts as c set count = v.value ->> 'today'
    from json_each(${batch}) as v
    join mailboxes m on m.id = v.value ->> 'id'
    where c.mailbox_id = v.value ->> 'id' and c.period = 'day'
      and c.window_start = ${w.day} and c.count = v.value ->> 'seen'
      and m.active = 1 and m.address = v.value ->> 'address'
      and m.send_daily_limit = v.value ->> 'send_daily_limit'
      and m.send_hourly_limit = v.value ->> 'send_hourly_limit'
      and m.warmup_start is v.value ->> 'warmup_start'
      and m.warmup_increment is v.value ->> 'warmup_increment'
      and m.warmup_max is v.value ->> 'warmup_max'
      and m.warmup_start_date is v.value ->> 'warmup_start_date'
    returning mailbox_id
  `.execute(trx);
  const counted = new Set(rows.map((r) => r.mailbox_id));
  const done = known.filter((k) => counted.has(k.mailboxId));
  const sends = done.filter((k) => k.newToday > k.today);
  if (sends.length > 0) {
    const added = JSON.stringify(sends.map((k) => ({ id: k.mailboxId, n: k.newToday - k.today })));
    await sql`
      insert into send_counts (mailbox_id, period, window_start, count)
      select value ->> 'id', 'minute', ${w.minute}, value ->> 'n' from json_each(${added}) where true
      on conflict (mailbox_id, period, window_start)
      do update set count = send_counts.count + excluded.count
    `.execute(trx);
  }
  await dropStaleMinutes(
    trx,
    done.filter((k) => k.pruneMinutes).map((k) => k.mailboxId),
    w.hourSince,
  );
  return counted;
}
