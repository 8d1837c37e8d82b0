import { sql, type Expression, type Kysely } from 'kysely';
import { utcDay } from '../core/sending.js';
import { decodeCursor, toPage } from './cursor.js';
import { pageStatements, type ListWindows, type PageBounds } from './mailbox-page-statement.js';
import {
  mailboxPageScope,
  pageBounds,
  sentThisHourOf,
  sentTodayOf,
  type PageRowBuilder,
  type PageScope,
} from './mailboxes.js';
import type { Database } from './schema.js';

/**
 * A page of mailboxes as the HTTP API answers it, its JSON text written by SQLite: each row is
 * the API's Mailbox (src/services/mailboxes/support/mailbox-view.ts, with its sending view and
 * forwarding) as one json_object in the schema's field order, and the page joins them. Building
 * the objects in JavaScript (JSON.parse of each row, the views, then fast-json-stringify) cost
 * about 2 µs of a page's 6–8 µs per row; json_object writes the same text in C, as compact as
 * JSON.stringify. The views stay the definition: a test compares this text with the serialized
 * views byte for byte (test/api/mailbox-list-json.test.ts). SQLite only: PostgreSQL's
 * json_build_object writes `"a" : 1` and row_to_json needs a subquery per object, which cost
 * more than the views and their serializer (11 µs a row against 8.5).
 */
export async function mailboxPageJson(
  db: Kysely<Database>,
  accountId: string,
  opts: Omit<PageScope, 'after'> & { cursor?: string; windows: ListWindows; now: Date },
): Promise<Buffer> {
  const bounds = pageBounds({ ...opts, after: decodeCursor(opts.cursor) });
  const rows = await pageStatement(db, accountId, bounds, opts.windows, utcDay(opts.now));
  const page = toPage(rows, opts.limit, (r) => r.address);
  const next = page.nextCursor === null ? 'null' : JSON.stringify(page.nextCursor);
  return joinedBytes('{"items":[', page.items, `],"nextCursor":${next}}`);
}

/**
 * `head`, the rows' objects joined by commas, `tail`, written straight into one buffer: kept
 * as a string, the page was copied on the V8 heap by the join, again when flattened for its
 * Content-Length and again by the socket's write, 110 of the 240 kB a page of 100 allocated
 * there. A buffer's bytes live outside that heap, so they bring on no scavenge.
 */
function joinedBytes(head: string, rows: readonly { mailbox: string }[], tail: string): Buffer {
  let length = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, rows.length - 1);
  for (const row of rows) length += Buffer.byteLength(row.mailbox);
  const bytes = Buffer.allocUnsafe(length);
  let at = bytes.write(head);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) at = bytes.writeUInt8(0x2c, at);
    at += bytes.write(rows[i]!.mailbox, at);
  }
  bytes.write(tail, at);
  return bytes;
}

/**
 * The page's statement, built and compiled by Kysely once per shape: building its two dozen
 * json_object fields and subqueries anew took 65–120 µs and about 60 kB of short-lived
 * objects a request, a page of one as much as a page of 100. That garbage brought on a third
 * of the young-generation collections while pages were served (17 → 12 per 1,000 requests at
 * 100k mailboxes), each a few ms on a shared machine and the usual cause of a page's p99.
 */
const pageStatement = pageStatements(pageJsonSelect);

/** The page's statement: each row's address (for the cursor) and its Mailbox as JSON text. */
export function mailboxPageJsonQuery(
  db: Kysely<Database>,
  accountId: string,
  opts: PageScope & { windows: ListWindows; now: Date },
) {
  return pageJsonSelect(db, accountId, pageBounds(opts), opts.windows, utcDay(opts.now));
}

function pageJsonSelect(
  db: Kysely<Database>,
  accountId: string,
  bounds: PageBounds,
  windows: ListWindows,
  today: string,
) {
  // `today` is the UTC day the warm-up ramp counts to (src/core/sending.ts rampDay and
  // limitToday); two UTC midnights' julian days differ by a whole number.
  const ramp = sql<number>`max(0, cast(julianday(${today}) - julianday(warmup_start_date) as integer))`;
  return mailboxPageScope(db, accountId, bounds).select((eb) => [
    'address',
    object([
      ['id', eb.ref('id')],
      ['address', eb.ref('address')],
      ['localPart', eb.ref('local_part')],
      // The address is `${local_part}@${domain}`.
      ['domain', sql`substr(address, length(local_part) + 2)`],
      ['name', eb.ref('name')],
      ['quotaMb', eb.ref('quota_mb')],
      ['active', bool(eb.ref('active'))],
      ['createdAt', eb.ref('created_at')],
      [
        'sending',
        object([
          ['dailyLimit', eb.ref('send_daily_limit')],
          ['hourlyLimit', eb.ref('send_hourly_limit')],
          [
            'warmup',
            sql`case when warmup_start is not null then ${object([
              ['start', eb.ref('warmup_start')],
              ['increment', eb.ref('warmup_increment')],
              ['max', eb.ref('warmup_max')],
              ['startDate', eb.ref('warmup_start_date')],
            ])} end`,
          ],
          ['sentToday', sql`coalesce(${sentTodayOf(eb, windows)}, 0)`],
          [
            'limitToday',
            sql`case when warmup_start is null then send_daily_limit
              else min(send_daily_limit, warmup_max, warmup_start + warmup_increment * ${ramp}) end`,
          ],
          ['sentThisHour', sql`coalesce(${sentThisHourOf(eb, windows)}, 0)`],
          ['rampDay', sql`case when warmup_start is not null then ${ramp} end`],
        ]),
      ],
      [
        'forwarding',
        sql`case when forward_keep_copy is not null then ${object([
          ['to', forwardTargets(eb)],
          ['keepCopy', bool(eb.ref('forward_keep_copy'))],
        ])} end`,
      ],
    ]).as('mailbox'),
  ]);
}

/** An object of these fields in this order; a JSON value in it stays JSON, even through CASE. */
const object = (fields: readonly (readonly [string, Expression<unknown>])[]) =>
  sql<string>`json_object(${sql.join(fields.map(([key, value]) => sql`${sql.lit(key)}, ${value}`))})`;

/** JSON true or false from a 0/1 column. */
const bool = (value: Expression<unknown>) =>
  sql`case ${value} when 1 then json('true') when 0 then json('false') end`;

/** A forwarding mailbox's targets in order as a JSON array, `[]` when it has none. */
const forwardTargets = (eb: PageRowBuilder) =>
  sql`json(${eb
    .selectFrom('mailbox_forwards')
    .select(sql`json_group_array(target order by position)`.as('targets'))
    .whereRef('mailbox_id', '=', 'mailboxes.id')})`;
