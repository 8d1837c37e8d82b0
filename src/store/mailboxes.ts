import type { Kysely } from 'kysely';
import { decodeCursor, prefixUpperBound, toPage, type Page } from './cursor.js';
import type { Database, MailboxRow, MailboxUpdate, NewMailboxRow } from './schema.js';

export async function insertMailbox(db: Kysely<Database>, row: NewMailboxRow): Promise<void> {
  await db.insertInto('mailboxes').values(row).execute();
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

/**
 * Keyset page of an account's mailboxes in address order. `q` is an address prefix served as
 * an index range (`address >= q AND address < successor(q)`), never a `LIKE '%…'` scan; a
 * domain filter uses the (domain_id, address) index. Exported as a query so tests can EXPLAIN it.
 */
export function mailboxPageQuery(
  db: Kysely<Database>,
  accountId: string,
  opts: { domainId?: string; q?: string; after?: string; limit: number },
) {
  let query = db.selectFrom('mailboxes').selectAll().where('account_id', '=', accountId);
  if (opts.domainId !== undefined) query = query.where('domain_id', '=', opts.domainId);
  if (opts.q) {
    query = query.where('address', '>=', opts.q).where('address', '<', prefixUpperBound(opts.q));
  }
  if (opts.after !== undefined) query = query.where('address', '>', opts.after);
  return query.orderBy('address').limit(opts.limit + 1);
}

export async function listMailboxes(
  db: Kysely<Database>,
  accountId: string,
  opts: { domainId?: string; q?: string; cursor?: string; limit: number },
): Promise<Page<MailboxRow>> {
  const after = decodeCursor(opts.cursor);
  const rows = await mailboxPageQuery(db, accountId, { ...opts, after }).execute();
  return toPage(rows, opts.limit, (r) => r.address);
}

export async function updateMailbox(
  db: Kysely<Database>,
  id: string,
  changes: MailboxUpdate,
): Promise<void> {
  await db.updateTable('mailboxes').set(changes).where('id', '=', id).execute();
}

export async function deleteMailbox(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('mailboxes').where('id', '=', id).execute();
}
