import { domainIdsUnder } from './domains.js';
import { sql, type Expression, type ExpressionBuilder, type Kysely } from 'kysely';
import { compiledInsert } from './compiled-once.js';
import { dialectOf } from './dialect.js';
import { decodeCursor, prefixUpperBound, toPage, type Page } from './cursor.js';
import { inChunks, insertChunks } from './insert-chunks.js';
import { pageStatements, type ListWindows, type PageBounds } from './mailbox-page-statement.js';
import type { Database, MailboxRow, MailboxUpdate, NewMailboxRow } from './schema.js';
import { POLICY_COLUMNS } from './send-counts.js';

export type MailboxSummary = Omit<MailboxRow, 'password_hash'>;

/** The columns of a mailbox a listing shows: not its owner, domain id or time of last change. */
const LISTING_COLUMNS = [
  'id',
  'local_part',
  'address',
  'name',
  'quota_mb',
  'active',
  'created_at',
  'forward_keep_copy',
  ...POLICY_COLUMNS,
] as const satisfies readonly (keyof MailboxSummary)[];

export async function insertMailbox(db: Kysely<Database>, row: NewMailboxRow): Promise<void> {
  await db.insertInto('mailboxes').values(row).execute();
}

/** Every column of a mailbox: a single creation writes them all. */
export const NEW_MAILBOX_COLUMNS = [
  ...LISTING_COLUMNS,
  'account_id',
  'domain_id',
  'updated_at',
  'password_hash',
  'quota_nearly_full',
] as const satisfies readonly (keyof NewMailboxRow)[];

const insertCompleteRow = compiledInsert('mailboxes', NEW_MAILBOX_COLUMNS);

/** insertMailbox of a row that gives every column, with its statement compiled once. */
export async function insertCompleteMailbox(
  db: Kysely<Database>,
  row: Required<NewMailboxRow>,
): Promise<void> {
  await insertCompleteRow(db, row);
}

export async function addressTaken(db: Kysely<Database>, address: string): Promise<boolean> {
  const row = await db
    .selectFrom('mailboxes')
    .select('id')
    .where('address', '=', address)
    .executeTakeFirst();
  return row !== undefined;
}

export function findMailbox(
  db: Kysely<Database>,
  accountId: string,
  address: string,
): Promise<MailboxRow | undefined> {
  return db
    .selectFrom('mailboxes')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('address', '=', address)
    .executeTakeFirst();
}

/** A mailbox as a page lists it: its columns, what it sent in the windows, where it forwards. */
export type MailboxListing = Pick<MailboxSummary, (typeof LISTING_COLUMNS)[number]> & {
  sent_today: number;
  sent_this_hour: number;
  /** Its forwarding targets in order; empty when it does not forward. */
  forward_to: string[];
};

/** A page row's listing as the database gives it; PostgreSQL's bigint sum comes as a string. */
type ListingRow = Omit<MailboxListing, 'sent_today' | 'sent_this_hour' | 'forward_to'> & {
  sent_today: number | null;
  sent_this_hour: number | string | null;
  forward_to: string | null;
};

/** Joins forwarding targets in one column; no address holds a line break. */
const TARGET_SEPARATOR = '\n';

/** Which of an account's mailboxes a page shows, and where it starts. */
export interface PageScope {
  domainId?: string;
  q?: string;
  after?: string;
  limit: number;
  /** Only mailboxes of these root domains and their sub-domains; null for all. */
  roots?: readonly string[] | null;
}

export const pageBounds = (opts: PageScope): PageBounds => ({
  domainId: opts.domainId,
  prefix: opts.q ? { from: opts.q, to: prefixUpperBound(opts.q) } : undefined,
  after: opts.after,
  rows: opts.limit + 1,
  roots: opts.roots,
});

/**
 * The account's mailboxes of a page in address order, before choosing what each row shows. The
 * prefix is an index range (`address >= q AND address < successor(q)`), never a `LIKE '%…'`
 * scan; a domain filter uses the (domain_id, address) index.
 */
export function mailboxPageScope(db: Kysely<Database>, accountId: string, bounds: PageBounds) {
  let query = db.selectFrom('mailboxes').where('account_id', '=', accountId);
  if (bounds.domainId !== undefined) query = query.where('domain_id', '=', bounds.domainId);
  if (bounds.roots) {
    query = query.where('domain_id', 'in', domainIdsUnder(db, accountId, bounds.roots));
  }
  if (bounds.prefix) {
    query = query
      .where('address', '>=', bounds.prefix.from)
      .where('address', '<', bounds.prefix.to);
  }
  if (bounds.after !== undefined) query = query.where('address', '>', bounds.after);
  return query.orderBy('address').limit(bounds.rows);
}

export type PageRowBuilder = ExpressionBuilder<Database, 'mailboxes'>;

/** What a page row's mailbox sent today (null: nothing), a subquery on the primary key. */
export const sentTodayOf = (eb: PageRowBuilder, windows: ListWindows) =>
  eb
    .selectFrom('send_counts')
    .select('count')
    .whereRef('mailbox_id', '=', 'mailboxes.id')
    .where('period', '=', 'day')
    .where('window_start', '=', windows.day);

/** What it sent in the rolling hour (null: nothing), likewise. */
export const sentThisHourOf = (eb: PageRowBuilder, windows: ListWindows) =>
  eb
    .selectFrom('send_counts')
    .select((q) => q.fn.sum<number>('count').as('n'))
    .whereRef('mailbox_id', '=', 'mailboxes.id')
    .where('period', '=', 'minute')
    .where('window_start', '>=', windows.hourSince);

/**
 * Keyset page of an account's mailboxes (mailboxPageScope), each with its send counts in
 * `windows` and its forwarding targets, in one statement: a page costs one round trip however
 * many rows it has. The counts and targets are subqueries per row on their tables' primary keys
 * (the targets only for a mailbox that forwards). On SQLite each row is one column, the listing
 * as a JSON object (json_object): better-sqlite3 builds a row object column by column, which
 * for 17 columns cost as much as SQLite's own work, and JSON.parse builds the same object in
 * half the time. Not on PostgreSQL, whose json_build_object looks up each value's output
 * function on every call: 100 rows took 2.0 ms that way, 1.3 ms as columns. Exported as a query
 * so tests can EXPLAIN it. The HTTP API's pages skip the objects (src/store/mailbox-page-json.ts).
 */
export function mailboxPageQuery(
  db: Kysely<Database>,
  accountId: string,
  opts: PageScope & { windows: ListWindows },
) {
  return pageRowsSelect(db, accountId, pageBounds(opts), opts.windows);
}

function pageRowsSelect(
  db: Kysely<Database>,
  accountId: string,
  bounds: PageBounds,
  windows: ListWindows,
) {
  return mailboxPageScope(db, accountId, bounds).select((eb) => {
    const fields: (readonly [keyof ListingRow, Expression<unknown>])[] = [
      ...LISTING_COLUMNS.map((column) => [column, eb.ref(column)] as const),
      ['sent_today', sentTodayOf(eb, windows)],
      ['sent_this_hour', sentThisHourOf(eb, windows)],
      [
        'forward_to',
        eb
          .case()
          .when('forward_keep_copy', 'is not', null)
          .then(
            eb
              .selectFrom('mailbox_forwards')
              .select(
                sql<string>`string_agg(target, cast(${TARGET_SEPARATOR} as text) order by position)`.as(
                  'targets',
                ),
              )
              .whereRef('mailbox_id', '=', 'mailboxes.id'),
          )
          .end(),
      ],
    ];
    if (dialectOf(db) === 'postgres') return fields.map(([key, value]) => sql`${value}`.as(key));
    const pairs = fields.map(([key, value]) => sql`${sql.lit(key)}, ${value}`);
    return [sql`json_object(${sql.join(pairs)})`.as('listing')];
  });
}

/** mailboxPageQuery's statement, compiled once per shape (src/store/mailbox-page-statement.ts). */
const pageRowsStatement = pageStatements((db, accountId, bounds, windows) =>
  pageRowsSelect(db, accountId, bounds, windows),
);

/** A page row as a listing, written out field by field rather than copied by rest and spread. */
function toListing(r: ListingRow): MailboxListing {
  return {
    id: r.id,
    local_part: r.local_part,
    address: r.address,
    name: r.name,
    quota_mb: r.quota_mb,
    active: r.active,
    created_at: r.created_at,
    forward_keep_copy: r.forward_keep_copy,
    send_daily_limit: r.send_daily_limit,
    send_hourly_limit: r.send_hourly_limit,
    warmup_start: r.warmup_start,
    warmup_increment: r.warmup_increment,
    warmup_max: r.warmup_max,
    warmup_start_date: r.warmup_start_date,
    sent_today: r.sent_today ?? 0,
    sent_this_hour: Number(r.sent_this_hour ?? 0),
    forward_to: r.forward_to ? r.forward_to.split(TARGET_SEPARATOR) : [],
  };
}

export async function listMailboxes(
  db: Kysely<Database>,
  accountId: string,
  opts: Omit<PageScope, 'after'> & { cursor?: string; windows: ListWindows },
): Promise<Page<MailboxListing>> {
  const bounds = pageBounds({ ...opts, after: decodeCursor(opts.cursor) });
  const rows = await pageRowsStatement(db, accountId, bounds, opts.windows, '');
  const listings =
    dialectOf(db) === 'postgres'
      ? (rows as unknown as ListingRow[])
      : rows.map((row) => JSON.parse(row.listing as string) as ListingRow);
  return toPage(listings.map(toListing), opts.limit, (r) => r.address);
}

export async function updateMailbox(
  db: Kysely<Database>,
  id: string,
  changes: MailboxUpdate,
): Promise<void> {
  await db.updateTable('mailboxes').set(changes).where('id', '=', id).execute();
}

/** Marks the mailbox at `address` as one message could overfill it, or not (core/quota-watch.ts). */
export async function setQuotaNearlyFull(
  db: Kysely<Database>,
  address: string,
  nearlyFull: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable('mailboxes')
    .set({ quota_nearly_full: nearlyFull ? 1 : 0 })
    .where('address', '=', address)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteMailbox(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('mailboxes').where('id', '=', id).execute();
}

/** Which of these addresses are mailboxes already. */
export async function existingAddresses(
  db: Kysely<Database>,
  addresses: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of inChunks(addresses)) {
    const rows = await db
      .selectFrom('mailboxes')
      .select('address')
      .where('address', 'in', chunk)
      .execute();
    for (const r of rows) found.add(r.address);
  }
  return found;
}

/**
 * Which of these addresses are mailboxes or aliases already, or planned by a job that has not
 * run yet.
 */
export async function takenAddresses(
  db: Kysely<Database>,
  addresses: string[],
): Promise<Set<string>> {
  const taken = await existingAddresses(db, addresses);
  for (const chunk of inChunks(addresses)) {
    const planned = await db
      .selectFrom('job_items')
      .select('target')
      .where('target', 'in', chunk)
      .where('status', '=', 'pending')
      .execute();
    for (const r of planned) taken.add(r.target);
    const aliases = await db
      .selectFrom('aliases')
      .select('address')
      .where('address', 'in', chunk)
      .execute();
    for (const r of aliases) taken.add(r.address);
  }
  return taken;
}

/** Many mailboxes in as few statements as the databases' parameter limits allow. */
export async function insertMailboxes(db: Kysely<Database>, rows: NewMailboxRow[]): Promise<void> {
  for (const chunk of insertChunks(rows)) {
    await db.insertInto('mailboxes').values(chunk).execute();
  }
}

/** Deletes the account's mailboxes among `addresses`; returns the addresses that existed. */
export async function deleteMailboxes(
  db: Kysely<Database>,
  accountId: string,
  addresses: string[],
): Promise<Set<string>> {
  const deleted = new Set<string>();
  for (const chunk of inChunks(addresses)) {
    const rows = await db
      .deleteFrom('mailboxes')
      .where('account_id', '=', accountId)
      .where('address', 'in', chunk)
      .returning('address')
      .execute();
    for (const r of rows) deleted.add(r.address);
  }
  return deleted;
}

/**
 * The account's active mailboxes on these domains and their sub-domains (null: on any) created
 * after `createdAfter` (null: ever), in address order: the ones an export gives new passwords.
 */
export function mailboxesToExport(
  db: Kysely<Database>,
  accountId: string,
  opts: { roots: readonly string[] | null; createdAfter: string | null },
): Promise<Pick<MailboxRow, 'address' | 'name' | 'domain_id'>[]> {
  let query = db
    .selectFrom('mailboxes')
    .select(['address', 'name', 'domain_id'])
    .where('account_id', '=', accountId)
    .where('active', '=', 1);
  if (opts.roots !== null) {
    query = query.where('domain_id', 'in', domainIdsUnder(db, accountId, opts.roots));
  }
  if (opts.createdAfter !== null) query = query.where('created_at', '>', opts.createdAfter);
  return query.orderBy('address').execute();
}

/**
 * Sets new password hashes by address within an account; answers the addresses it changed. One
 * UPDATE per slice of rows (a CASE picks each row's hash), not one per mailbox: an export job
 * writes thousands, and every statement's round trip and compilation is time taken from hashing.
 */
export async function setPasswordHashes(
  db: Kysely<Database>,
  accountId: string,
  hashes: { address: string; hash: string }[],
  now: string,
): Promise<string[]> {
  const changed: string[] = [];
  // Three bound parameters a row: the slices INSERTs use stay far below both databases' limits.
  for (const chunk of insertChunks(hashes)) {
    const hashFor = sql<string>`case address ${sql.join(
      chunk.map(({ address, hash }) => sql`when ${address} then ${hash}`),
      sql` `,
    )} end`;
    const rows = await db
      .updateTable('mailboxes')
      .set({ password_hash: hashFor, updated_at: now })
      .where('account_id', '=', accountId)
      .where(
        'address',
        'in',
        chunk.map((h) => h.address),
      )
      .returning('address')
      .execute();
    for (const row of rows) changed.push(row.address);
  }
  return changed;
}
