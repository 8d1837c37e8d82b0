import type { Kysely } from 'kysely';
import { decodeCursor, prefixUpperBound, toPage, type Page } from './cursor.js';
import { domainIdsUnder } from './domains.js';
import type { AliasTable, Database } from './schema.js';

export interface AliasRecord extends AliasTable {
  targets: string[];
}

/** Targets of each alias, in the order they were given. */
async function withTargets(db: Kysely<Database>, rows: AliasTable[]): Promise<AliasRecord[]> {
  if (rows.length === 0) return [];
  const targets = await db
    .selectFrom('alias_targets')
    .select(['alias_id', 'target'])
    .where(
      'alias_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('alias_id')
    .orderBy('position')
    .execute();
  const byAlias = new Map<string, string[]>();
  for (const t of targets) byAlias.set(t.alias_id, [...(byAlias.get(t.alias_id) ?? []), t.target]);
  return rows.map((r) => ({ ...r, targets: byAlias.get(r.id) ?? [] }));
}

/** An alias of one account; another account's is not found. */
export async function findAlias(
  db: Kysely<Database>,
  accountId: string,
  address: string,
): Promise<AliasRecord | undefined> {
  const row = await db
    .selectFrom('aliases')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('address', '=', address)
    .executeTakeFirst();
  return row && (await withTargets(db, [row]))[0];
}

/** Whether any account has an alias (or catch-all) at this address. */
export async function aliasExists(db: Kysely<Database>, address: string): Promise<boolean> {
  const row = await db
    .selectFrom('aliases')
    .select('id')
    .where('address', '=', address)
    .executeTakeFirst();
  return row !== undefined;
}

/** Targets of the alias at `address` on any account; undefined when there is none. */
export async function aliasTargetsAt(
  db: Kysely<Database>,
  address: string,
): Promise<string[] | undefined> {
  const rows = await db
    .selectFrom('aliases as a')
    .leftJoin('alias_targets as t', 't.alias_id', 'a.id')
    .select('t.target')
    .where('a.address', '=', address)
    .orderBy('t.position')
    .execute();
  if (rows.length === 0) return undefined;
  return rows.flatMap((r) => (r.target === null ? [] : [r.target]));
}

/**
 * Keyset page in address order; `q` is an address prefix served as an index range (catch-alls
 * sort first: `@` is below every letter and digit).
 */
export async function listAliases(
  db: Kysely<Database>,
  accountId: string,
  opts: {
    domainId?: string;
    q?: string;
    cursor?: string;
    limit: number;
    /** Only aliases of these root domains and their sub-domains; null for all. */
    roots?: readonly string[] | null;
  },
): Promise<Page<AliasRecord>> {
  const after = decodeCursor(opts.cursor);
  let query = db.selectFrom('aliases').selectAll().where('account_id', '=', accountId);
  if (opts.domainId !== undefined) query = query.where('domain_id', '=', opts.domainId);
  if (opts.roots) query = query.where('domain_id', 'in', domainIdsUnder(db, accountId, opts.roots));
  if (opts.q) {
    query = query.where('address', '>=', opts.q).where('address', '<', prefixUpperBound(opts.q));
  }
  if (after !== undefined) query = query.where('address', '>', after);
  const rows = await query
    .orderBy('address')
    .limit(opts.limit + 1)
    .execute();
  const page = toPage(rows, opts.limit, (r) => r.address);
  return { items: await withTargets(db, page.items), nextCursor: page.nextCursor };
}

export async function insertAlias(
  db: Kysely<Database>,
  row: AliasTable,
  targets: string[],
): Promise<void> {
  await db.insertInto('aliases').values(row).execute();
  await replaceAliasTargets(db, row.id, targets);
}

export async function replaceAliasTargets(
  db: Kysely<Database>,
  aliasId: string,
  targets: string[],
): Promise<void> {
  await db.deleteFrom('alias_targets').where('alias_id', '=', aliasId).execute();
  if (targets.length === 0) return;
  await db
    .insertInto('alias_targets')
    .values(targets.map((target, position) => ({ alias_id: aliasId, position, target })))
    .execute();
}

export async function touchAlias(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db.updateTable('aliases').set({ updated_at: now }).where('id', '=', id).execute();
}

export async function deleteAlias(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('aliases').where('id', '=', id).execute();
}

/** Aliases left on a domain, first few by address, for a refusal to delete it. */
export async function aliasesOnDomain(
  db: Kysely<Database>,
  domainId: string,
): Promise<{ count: number; first: string[] }> {
  const [count, first] = await Promise.all([
    db
      .selectFrom('aliases')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('domain_id', '=', domainId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('aliases')
      .select('address')
      .where('domain_id', '=', domainId)
      .orderBy('address')
      .limit(5)
      .execute(),
  ]);
  return { count: Number(count.n), first: first.map((r) => r.address) };
}

/** A mailbox's forwarding targets (any account), in order. */
export async function forwardTargets(db: Kysely<Database>, mailboxId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('mailbox_forwards')
    .select('target')
    .where('mailbox_id', '=', mailboxId)
    .orderBy('position')
    .execute();
  return rows.map((r) => r.target);
}

/** Forwarding targets of many mailboxes in one query. */
export async function forwardTargetsOf(
  db: Kysely<Database>,
  mailboxIds: string[],
): Promise<Map<string, string[]>> {
  const byMailbox = new Map<string, string[]>();
  if (mailboxIds.length === 0) return byMailbox;
  const rows = await db
    .selectFrom('mailbox_forwards')
    .select(['mailbox_id', 'target'])
    .where('mailbox_id', 'in', mailboxIds)
    .orderBy('mailbox_id')
    .orderBy('position')
    .execute();
  for (const r of rows)
    byMailbox.set(r.mailbox_id, [...(byMailbox.get(r.mailbox_id) ?? []), r.target]);
  return byMailbox;
}

/** Sets (or with null removes) a mailbox's forwarding. */
export async function setForwarding(
  db: Kysely<Database>,
  mailboxId: string,
  forwarding: { to: string[]; keepCopy: boolean } | null,
): Promise<void> {
  await db.deleteFrom('mailbox_forwards').where('mailbox_id', '=', mailboxId).execute();
  await db
    .updateTable('mailboxes')
    .set({ forward_keep_copy: forwarding === null ? null : forwarding.keepCopy ? 1 : 0 })
    .where('id', '=', mailboxId)
    .execute();
  if (forwarding === null || forwarding.to.length === 0) return;
  await db
    .insertInto('mailbox_forwards')
    .values(forwarding.to.map((target, position) => ({ mailbox_id: mailboxId, position, target })))
    .execute();
}

/**
 * Where mail to `address` goes next, for loop detection: the routing of the mailbox (its
 * forward targets, or nothing when it keeps its mail) or the alias at that address. `kind`
 * none: neither exists.
 */
export async function routingAt(
  db: Kysely<Database>,
  address: string,
): Promise<{ kind: 'mailbox' | 'alias' | 'none'; targets: string[] }> {
  const mailbox = await db
    .selectFrom('mailboxes')
    .select(['id', 'forward_keep_copy'])
    .where('address', '=', address)
    .executeTakeFirst();
  if (mailbox) {
    return {
      kind: 'mailbox',
      targets: mailbox.forward_keep_copy === null ? [] : await forwardTargets(db, mailbox.id),
    };
  }
  const targets = await aliasTargetsAt(db, address);
  return targets ? { kind: 'alias', targets } : { kind: 'none', targets: [] };
}
