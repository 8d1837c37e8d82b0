import type { Kysely } from 'kysely';
import { decodeCursor, toPage, type Page } from './cursor.js';
import type { Database, DomainRow, NewDomainRow } from './schema.js';

/** A domain row with its parent's name, which every representation of a sub-domain shows. */
export type DomainRecord = DomainRow & { parent_name: string | null };

function selectDomains(db: Kysely<Database>) {
  return db
    .selectFrom('domains as d')
    .leftJoin('domains as p', 'p.id', 'd.parent_id')
    .selectAll('d')
    .select('p.name as parent_name');
}

export async function insertDomain(db: Kysely<Database>, row: NewDomainRow): Promise<void> {
  await db.insertInto('domains').values(row).execute();
}

/** Looks a domain up within one account; another account's domain is simply not found. */
export function findDomain(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<DomainRecord | undefined> {
  return selectDomains(db)
    .where('d.account_id', '=', accountId)
    .where('d.name', '=', name)
    .executeTakeFirst();
}

export async function domainNameTaken(db: Kysely<Database>, name: string): Promise<boolean> {
  const row = await db.selectFrom('domains').select('id').where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

export async function existingDomainNames(db: Kysely<Database>, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.selectFrom('domains').select('name').where('name', 'in', names).execute();
  return new Set(rows.map((r) => r.name));
}

export async function listDomains(
  db: Kysely<Database>,
  accountId: string,
  opts: { cursor?: string; limit: number },
): Promise<Page<DomainRecord>> {
  const after = decodeCursor(opts.cursor);
  let query = selectDomains(db).where('d.account_id', '=', accountId);
  if (after !== undefined) query = query.where('d.name', '>', after);
  const rows = await query.orderBy('d.name').limit(opts.limit + 1).execute();
  return toPage(rows, opts.limit, (r) => r.name);
}

export async function countDependents(
  db: Kysely<Database>,
  domainId: string,
): Promise<{ subdomains: number; mailboxes: number }> {
  const [subs, boxes] = await Promise.all([
    db
      .selectFrom('domains')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('parent_id', '=', domainId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('mailboxes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('domain_id', '=', domainId)
      .executeTakeFirstOrThrow(),
  ]);
  return { subdomains: Number(subs.n), mailboxes: Number(boxes.n) };
}

export async function deleteDomain(db: Kysely<Database>, domainId: string): Promise<void> {
  await db.deleteFrom('domains').where('id', '=', domainId).execute();
}

/** Marks a root and all its sub-domains verified: sub-domains inherit their parent's proof. */
export async function markVerified(db: Kysely<Database>, rootId: string, now: string): Promise<void> {
  await db
    .updateTable('domains')
    .set({ status: 'verified', verified_at: now })
    .where((eb) => eb.or([eb('id', '=', rootId), eb('parent_id', '=', rootId)]))
    .where('status', '=', 'pending')
    .execute();
}
