import type { Kysely } from 'kysely';
import { DEFAULT_LIMITS } from '../core/limits.js';
import { decodeCursor, toPage, type Page } from './cursor.js';
import { deleteDkimKeys } from './dkim-keys.js';
import { inChunks } from './insert-chunks.js';
import type { Database, DomainRow, DomainUpdate, NewDomainRow } from './schema.js';

/**
 * A domain row with what every representation of it shows: its parent's name, how many
 * mailboxes it holds and its effective slot limit (its own, or the account's default).
 */
export type DomainRecord = DomainRow & {
  parent_name: string | null;
  mailbox_count: number;
  effective_mailbox_limit: number;
};

function selectDomains(db: Kysely<Database>) {
  return db
    .selectFrom('domains as d')
    .innerJoin('accounts as a', 'a.id', 'd.account_id')
    .leftJoin('domains as p', 'p.id', 'd.parent_id')
    .selectAll('d')
    .select((eb) => [
      'p.name as parent_name',
      // Counted through the (domain_id, address) index: no table scan per listed domain.
      eb
        .selectFrom('mailboxes as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.domain_id', '=', 'd.id')
        .as('mailbox_count_raw'),
      'a.max_mailboxes_per_domain as account_mailbox_limit',
    ]);
}

type RawDomain = DomainRow & {
  parent_name: string | null;
  mailbox_count_raw: number | string | null;
  account_mailbox_limit: number | null;
};

/** PostgreSQL returns counts as strings (bigint); both dialects give numbers here. */
function toRecord(row: RawDomain): DomainRecord {
  const { mailbox_count_raw, account_mailbox_limit, ...rest } = row;
  return {
    ...rest,
    mailbox_count: Number(mailbox_count_raw ?? 0),
    effective_mailbox_limit:
      row.mailbox_limit ?? account_mailbox_limit ?? DEFAULT_LIMITS.maxMailboxesPerDomain,
  };
}

export async function insertDomain(db: Kysely<Database>, row: NewDomainRow): Promise<void> {
  await db.insertInto('domains').values(row).execute();
}

/** Looks a domain up within one account; another account's domain is simply not found. */
export async function findDomain(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<DomainRecord | undefined> {
  const row = await selectDomains(db)
    .where('d.account_id', '=', accountId)
    .where('d.name', '=', name)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Whether a hostname of any account is verified: for public answers that name no account. */
export async function isVerifiedDomain(db: Kysely<Database>, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('domains')
    .select('id')
    .where('name', '=', name)
    .where('status', '=', 'verified')
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether another account has verified this hostname: it is that account's, proof or not. */
export async function verifiedByAnotherAccount(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('domains')
    .select('id')
    .where('name', '=', name)
    .where('status', '=', 'verified')
    .where('account_id', '<>', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface RemovedClaim {
  accountId: string;
  /** The root and the sub-domains that went with it. */
  names: string[];
}

/** Deletes pending roots with their (pending, mailbox-less) sub-domains; returns what went. */
async function removeClaims(
  db: Kysely<Database>,
  roots: { id: string; account_id: string; name: string }[],
): Promise<RemovedClaim[]> {
  const removed: RemovedClaim[] = [];
  for (const root of roots) {
    const children = await db
      .selectFrom('domains')
      .select('name')
      .where('parent_id', '=', root.id)
      .orderBy('name')
      .execute();
    await deleteDomainTree(db, root.id);
    removed.push({
      accountId: root.account_id,
      names: [root.name, ...children.map((c) => c.name)],
    });
  }
  return removed;
}

/**
 * The pending claims other accounts hold on a root that `accountId` has just proved by DNS:
 * they lost the race, so they go in the same transaction as the verification.
 */
export async function removeRivalClaims(
  db: Kysely<Database>,
  accountId: string,
  rootName: string,
): Promise<RemovedClaim[]> {
  const roots = await db
    .selectFrom('domains')
    .select(['id', 'account_id', 'name'])
    .where('name', '=', rootName)
    .where('kind', '=', 'root')
    .where('status', '=', 'pending')
    .where('account_id', '<>', accountId)
    .execute();
  return removeClaims(db, roots);
}

/**
 * Pending roots created before `before` — of one account, or on one name in any account —
 * with their sub-domains: an unverified claim lapses rather than stay forever.
 */
export async function removeExpiredClaims(
  db: Kysely<Database>,
  scope: { accountId: string; name?: string },
  before: string,
): Promise<RemovedClaim[]> {
  const roots = await db
    .selectFrom('domains')
    .select(['id', 'account_id', 'name'])
    .where('kind', '=', 'root')
    .where('status', '=', 'pending')
    .where('created_at', '<', before)
    .where((eb) =>
      scope.name === undefined
        ? eb('account_id', '=', scope.accountId)
        : eb.or([eb('account_id', '=', scope.accountId), eb('name', '=', scope.name)]),
    )
    .execute();
  return removeClaims(db, roots);
}

/** Which of these domain ids still exist. */
export async function existingDomainIds(db: Kysely<Database>, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of inChunks(ids)) {
    const rows = await db.selectFrom('domains').select('id').where('id', 'in', chunk).execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** Which of these hostnames the account holds already, verified or not. */
export async function existingDomainNames(
  db: Kysely<Database>,
  accountId: string,
  names: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of inChunks(names)) {
    const rows = await db
      .selectFrom('domains')
      .select('name')
      .where('account_id', '=', accountId)
      .where('name', 'in', chunk)
      .execute();
    for (const r of rows) found.add(r.name);
  }
  return found;
}

/**
 * Ids of the account's domains that are one of `roots` or a sub-domain of one, as a sub-query
 * (sub-domains are one level below their root, whose id is their parent_id).
 */
export function domainIdsUnder(db: Kysely<Database>, accountId: string, roots: readonly string[]) {
  const rootIds = db
    .selectFrom('domains')
    .select('id')
    .where('account_id', '=', accountId)
    .where('name', 'in', roots.length > 0 ? [...roots] : ['']);
  return db
    .selectFrom('domains')
    .select('id')
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('id', 'in', rootIds), eb('parent_id', 'in', rootIds)]));
}

/** `roots`: only those root domains and their sub-domains; null for all. */
export async function listDomains(
  db: Kysely<Database>,
  accountId: string,
  opts: { cursor?: string; limit: number; roots: readonly string[] | null },
): Promise<Page<DomainRecord>> {
  const after = decodeCursor(opts.cursor);
  let query = selectDomains(db).where('d.account_id', '=', accountId);
  if (opts.roots !== null)
    query = query.where('d.id', 'in', domainIdsUnder(db, accountId, opts.roots));
  if (after !== undefined) query = query.where('d.name', '>', after);
  const rows = await query
    .orderBy('d.name')
    .limit(opts.limit + 1)
    .execute();
  return toPage(rows.map(toRecord), opts.limit, (r) => r.name);
}

/** What lives under a domain: sub-domains, mailboxes, and mailboxes jobs are about to create. */
export async function countDependents(
  db: Kysely<Database>,
  domainId: string,
): Promise<{ subdomains: number; mailboxes: number }> {
  const [subs, boxes, planned] = await Promise.all([
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
    db
      .selectFrom('job_items')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('domain_id', '=', domainId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
  ]);
  return { subdomains: Number(subs.n), mailboxes: Number(boxes.n) + Number(planned.n) };
}

export async function deleteDomain(db: Kysely<Database>, domainId: string): Promise<void> {
  await deleteDkimKeys(db, [domainId]);
  await db.deleteFrom('domains').where('id', '=', domainId).execute();
}

/** Marks a root and all its sub-domains verified: sub-domains inherit their parent's proof. */
export async function markVerified(
  db: Kysely<Database>,
  rootId: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('domains')
    .set({ status: 'verified', verified_at: now })
    .where((eb) => eb.or([eb('id', '=', rootId), eb('parent_id', '=', rootId)]))
    .where('status', '=', 'pending')
    .execute();
}

export async function saveDnsCheck(
  db: Kysely<Database>,
  domainId: string,
  check: { at: string; failing: unknown[] },
): Promise<void> {
  await db
    .updateTable('domains')
    .set({ dns_checked_at: check.at, dns_failing: JSON.stringify(check.failing) })
    .where('id', '=', domainId)
    .execute();
}

export async function updateDomain(
  db: Kysely<Database>,
  domainId: string,
  changes: DomainUpdate,
): Promise<void> {
  await db.updateTable('domains').set(changes).where('id', '=', domainId).execute();
}

/** Removes a root with its sub-domains and every mailbox on them; returns what went. */
export async function deleteDomainTree(
  db: Kysely<Database>,
  domainId: string,
): Promise<{ domains: number; mailboxes: number; addresses: string[] }> {
  const children = await db
    .selectFrom('domains')
    .select('id')
    .where('parent_id', '=', domainId)
    .execute();
  const ids = [domainId, ...children.map((c) => c.id)];
  const addresses: string[] = [];
  for (const chunk of inChunks(ids)) {
    const deleted = await db
      .deleteFrom('mailboxes')
      .where('domain_id', 'in', chunk)
      .returning('address')
      .execute();
    addresses.push(...deleted.map((m) => m.address));
  }
  await deleteDkimKeys(db, ids);
  await db.deleteFrom('domains').where('parent_id', '=', domainId).execute();
  await db.deleteFrom('domains').where('id', '=', domainId).execute();
  return { domains: ids.length, mailboxes: addresses.length, addresses };
}

/**
 * Names of the account's domains a bulk action still has to do, in name order: `unverified`
 * (pending roots; a sub-domain is verified through its root), `dns_not_ready` (never checked
 * live, or failing when last checked) or `any`. `roots`: only under those root domains; null
 * for all.
 */
export async function domainNamesNeeding(
  db: Kysely<Database>,
  accountId: string,
  what: 'unverified' | 'dns_not_ready' | 'any',
  roots: readonly string[] | null,
): Promise<string[]> {
  let query = db.selectFrom('domains').select('name').where('account_id', '=', accountId);
  if (what === 'unverified') {
    query = query.where('status', '=', 'pending').where('kind', '=', 'root');
  } else if (what === 'dns_not_ready') {
    query = query.where((eb) =>
      eb.or([eb('dns_checked_at', 'is', null), eb('dns_failing', '!=', '[]')]),
    );
  }
  if (roots !== null) query = query.where('id', 'in', domainIdsUnder(db, accountId, roots));
  const rows = await query.orderBy('name').execute();
  return rows.map((r) => r.name);
}

/**
 * The redirect of the root domain `name` (A-label, lowercase), or undefined when it has none:
 * one probe of the unique name index, since it runs for web requests before anything else.
 */
export async function findRedirect(
  db: Kysely<Database>,
  name: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('domains')
    .select('redirect_to')
    .where('name', '=', name)
    .where('kind', '=', 'root')
    .executeTakeFirst();
  return row?.redirect_to ?? undefined;
}

/**
 * The domain of any account named `name` as web certificates judge it: the verified one if
 * any (a name is unique among verified domains), else a pending one; undefined when none.
 */
export async function findWebDomain(
  db: Kysely<Database>,
  name: string,
): Promise<Pick<DomainRow, 'name' | 'kind' | 'status' | 'redirect_to'> | undefined> {
  const rows = await db
    .selectFrom('domains')
    .select(['name', 'kind', 'status', 'redirect_to'])
    .where('name', '=', name)
    .execute();
  return rows.find((r) => r.status === 'verified') ?? rows[0];
}
