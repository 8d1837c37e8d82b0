import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type QueryCreator,
  type Selectable,
} from 'kysely';
import { DEFAULT_LIMITS, type LimitName, type Limits } from '../core/limits.js';
import { compiledOnce } from './compiled-once.js';
import { dialectOf } from './dialect.js';
import type { AccountTable, Database, DomainRow, JobKind } from './schema.js';

const COLUMN: Record<LimitName, keyof AccountTable> = {
  maxDomains: 'max_domains',
  maxSubdomainsPerDomain: 'max_subdomains_per_domain',
  maxMailboxesPerDomain: 'max_mailboxes_per_domain',
  maxBulkCount: 'max_bulk_count',
  maxMailboxesPerHour: 'max_mailboxes_per_hour',
  cooldownThreshold: 'cooldown_threshold',
  cooldownSeconds: 'cooldown_seconds',
  defaultDailySendLimit: 'default_daily_send_limit',
  defaultHourlySendLimit: 'default_hourly_send_limit',
  defaultWarmupStart: 'default_warmup_start',
  defaultWarmupIncrement: 'default_warmup_increment',
  defaultWarmupMax: 'default_warmup_max',
  maxAliasTargets: 'max_alias_targets',
};

/**
 * lockAccount's statement on SQLite, compiled once: every limit-checked write runs it. It
 * rewrites a column no key or index holds: with `id` in the SET, even unchanged, SQLite visits
 * every row of the account in each table whose foreign key names accounts.id, so `set id = id`
 * walked the account's whole audit log and mailboxes on every lock (a transaction took 0.3 ms
 * at 3,000 events, 2 ms at 12,000; 0.06 ms either way without it).
 */
const lockUpdate = compiledOnce((db: Kysely<Database>, accountId: string) =>
  db
    .updateTable('accounts')
    .set({ created_at: sql`created_at` })
    .where('id', '=', accountId),
);

/**
 * lockAccount's statement on PostgreSQL: the row lock an UPDATE of a non-key column takes (FOR
 * NO KEY UPDATE, which foreign key checks' KEY SHARE locks do not wait for), without writing a
 * new row version: a no-op UPDATE left a dead accounts tuple and its WAL on every creation, and
 * a chain of versions for the next statements reading the account to walk.
 */
const lockSelect = compiledOnce((db: Kysely<Database>, accountId: string) =>
  db.selectFrom('accounts').select('id').where('id', '=', accountId).forNoKeyUpdate(),
);

/**
 * Serialises every limit-checked write of one account, as the transaction's first statement:
 * on PostgreSQL the account's row lock, on SQLite the database's write lock (a no-op UPDATE,
 * taken before any read, so two SQLite writers never deadlock upgrading a read lock). Checks
 * made after it see every reservation committed before it, which is what makes limits exact
 * under concurrency: on PostgreSQL each later statement of the transaction takes a new snapshot
 * (READ COMMITTED), so the lock must be a statement of its own, before the counts.
 */
export async function lockAccount(db: Kysely<Database>, accountId: string): Promise<void> {
  await (dialectOf(db) === 'postgres' ? lockSelect : lockUpdate)(db, accountId);
}

/** Account ids are UUIDs (insertAccount); only such an id is written into a statement's text. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in a transaction that first locks the account (lockAccount). On SQLite the lock is
 * BEGIN IMMEDIATE, which takes the database's write lock before any read as lockAccount's
 * UPDATE does, without a statement of its own or an accounts page to write back at commit. On
 * PostgreSQL BEGIN and the lock go in one message (the simple protocol runs several statements
 * but binds no parameters, so the id is written in as a literal): one round trip fewer for
 * the backend and the event loop than BEGIN, then the lock.
 */
export async function inAccountLock<T>(
  db: Kysely<Database>,
  accountId: string,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const postgres = dialectOf(db) === 'postgres';
  if (postgres && !UUID.test(accountId)) {
    return db.transaction().execute(async (trx) => {
      await lockAccount(trx, accountId);
      return fn(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    // A failed BEGIN IMMEDIATE (the database busy past its timeout) opens no transaction; a
    // failed lock after BEGIN leaves one open, aborted, which the rollback ends.
    let result: T;
    try {
      await sql
        .raw(
          postgres
            ? `begin; select id from accounts where id = '${accountId}' for no key update`
            : 'begin immediate',
        )
        .execute(conn);
      result = await fn(conn);
    } catch (error) {
      await sql
        .raw('rollback')
        .execute(conn)
        .catch(() => undefined);
      throw error;
    }
    await sql.raw('commit').execute(conn);
    return result;
  });
}

/** The account's limits, each its override or the platform default. */
export async function readLimits(db: Kysely<Database>, accountId: string): Promise<Limits> {
  return limitsOf(
    await db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow(),
  );
}

function limitsOf(row: Partial<Selectable<AccountTable>>): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(COLUMN) as LimitName[]) {
    const value = row[COLUMN[name]];
    if (typeof value === 'number') limits[name] = value;
  }
  return limits;
}

/** `null` resets a limit to the platform default. */
export async function writeLimits(
  db: Kysely<Database>,
  accountId: string,
  changes: Partial<Record<LimitName, number | null>>,
): Promise<void> {
  const set: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(changes)) set[COLUMN[name as LimitName]] = value;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('accounts').set(set).where('id', '=', accountId).execute();
}

const count = (n: unknown): number => Number(n ?? 0);

export async function countRootDomains(db: Kysely<Database>, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('domains')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', accountId)
    .where('kind', '=', 'root')
    .executeTakeFirstOrThrow();
  return count(row.n);
}

export async function countSubdomains(db: Kysely<Database>, parentId: string): Promise<number> {
  const row = await db
    .selectFrom('domains')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('parent_id', '=', parentId)
    .executeTakeFirstOrThrow();
  return count(row.n);
}

/** Which table holds an address already; null when it is free. */
export type AddressHolder = 'mailbox' | 'alias' | null;

/**
 * What every creation checks of a hostname (`domainId`: a bound value, or the column of an outer
 * query's domain) and its account: slots and storage in use or planned, the account's mailboxes
 * of the hour, and whether a mailbox or an alias holds `address` (both unique indexes answer at
 * once; a NULL address matches nothing).
 */
function capacityColumns(
  eb: ExpressionBuilder<Database, never>,
  domainId: string | Expression<string>,
  accountId: string,
  since: string,
  address: string | null,
) {
  return [
    eb
      .selectFrom('mailboxes')
      .select(eb.fn.countAll().as('n'))
      .where('domain_id', '=', domainId)
      .as('mailboxes'),
    eb
      .selectFrom('mailboxes')
      .select((q) => q.fn.coalesce(q.fn.sum('quota_mb'), q.lit(0)).as('mb'))
      .where('domain_id', '=', domainId)
      .as('mailbox_mb'),
    eb
      .selectFrom('job_items')
      .select(eb.fn.countAll().as('n'))
      .where('status', '=', 'pending')
      .where('domain_id', '=', domainId)
      .as('planned'),
    eb
      .selectFrom('job_items')
      .select((q) => q.fn.coalesce(q.fn.sum('quota_mb'), q.lit(0)).as('mb'))
      .where('status', '=', 'pending')
      .where('domain_id', '=', domainId)
      .as('planned_mb'),
    ...createdSinceCounts(eb, accountId, since),
    eb.selectFrom('mailboxes').select('id').where('address', '=', address).as('mailbox_at'),
    eb.selectFrom('aliases').select('id').where('address', '=', address).as('alias_at'),
  ] as const;
}

/**
 * capacityCounts' statement: the account's limits and capacityColumns, from `from` (the
 * database, or a query creator carrying common table expressions to run in the same statement).
 */
export function capacitySelect(
  from: QueryCreator<Database>,
  domainId: string,
  accountId: string,
  since: string,
  address: string | null,
) {
  return (
    from
      .selectFrom('accounts')
      .select(Object.values(COLUMN))
      .where('id', '=', accountId)
      // Its subqueries name their own tables; the accounts row in scope changes nothing.
      .select((eb) =>
        capacityColumns(
          eb as ExpressionBuilder<Database, never>,
          domainId,
          accountId,
          since,
          address,
        ),
      )
  );
}

/** capacityCounts' statement, compiled once: a creation runs it under the account lock. */
const capacityQuery = compiledOnce(capacitySelect);

/** The account columns that hold its limits. */
const LIMIT_COLUMNS = Object.values(COLUMN).map((column) => `a.${column}` as const);

/**
 * The columns of a hostname a creation uses (compiledOnce statements select no `*`): each
 * column read costs SQLite's row decoding and a property, and the verification token, DNS and
 * relay columns decide nothing here.
 */
const CREATION_DOMAIN_COLUMNS = [
  'id',
  'account_id',
  'name',
  'status',
  'mailbox_limit',
  'quota_mb',
] as const satisfies readonly (keyof DomainRow)[];

/** The hostname a creation names, with its slot limit as it applies. */
export type CreationDomain = Pick<DomainRow, (typeof CREATION_DOMAIN_COLUMNS)[number]> & {
  effective_mailbox_limit: number;
};

/**
 * A creation's pre-check, compiled once: the hostname by name within the account, the account's
 * limits and capacityColumns, in one statement. Each subquery names its own table, so the
 * unqualified columns in them are that table's; the hostname's id is the outer row's.
 */
const domainCapacityQuery = compiledOnce(
  (db: Kysely<Database>, accountId: string, name: string, since: string, address: string | null) =>
    db
      .selectFrom('domains as d')
      .innerJoin('accounts as a', 'a.id', 'd.account_id')
      .select(CREATION_DOMAIN_COLUMNS.map((column) => `d.${column}` as const))
      .select(LIMIT_COLUMNS)
      .select((eb) =>
        capacityColumns(
          eb as unknown as ExpressionBuilder<Database, never>,
          eb.ref('d.id'),
          accountId,
          since,
          address,
        ),
      )
      .where('d.account_id', '=', accountId)
      .where('d.name', '=', name),
);

export interface CapacityCounts {
  mailboxes: number;
  quotaMb: number;
  createdSince: number;
  holder: AddressHolder;
  limits: Limits;
}

export type CapacityRow = {
  mailboxes: unknown;
  mailbox_mb: unknown;
  planned: unknown;
  planned_mb: unknown;
  created_since: unknown;
  planned_account: unknown;
  mailbox_at: string | null;
  alias_at: string | null;
};

export function toCounts(row: CapacityRow & Partial<Selectable<AccountTable>>): CapacityCounts {
  return {
    mailboxes: count(row.mailboxes) + count(row.planned),
    quotaMb: count(row.mailbox_mb) + count(row.planned_mb),
    createdSince: count(row.created_since) + count(row.planned_account),
    holder: row.mailbox_at != null ? 'mailbox' : row.alias_at != null ? 'alias' : null,
    limits: limitsOf(row),
  };
}

/**
 * The hostname `name` of the account, with its slot limit as it applies (its own, or the
 * account's default), and capacityCounts for it — in one round trip, the first a single
 * creation makes after authentication; undefined when the account has no such hostname.
 */
export async function domainCapacity(
  db: Kysely<Database>,
  opts: { accountId: string; name: string; since: string; address?: string },
): Promise<({ domain: CreationDomain } & CapacityCounts) | undefined> {
  const [row] = await domainCapacityQuery(
    db,
    opts.accountId,
    opts.name,
    opts.since,
    opts.address ?? null,
  );
  if (!row) return undefined;
  const counts = toCounts(row);
  const domain: CreationDomain = {
    id: row.id,
    account_id: row.account_id,
    name: row.name,
    status: row.status,
    mailbox_limit: row.mailbox_limit,
    quota_mb: row.quota_mb,
    effective_mailbox_limit: row.mailbox_limit ?? counts.limits.maxMailboxesPerDomain,
  };
  return { domain, ...counts };
}

/**
 * Mailboxes and storage a hostname holds, and mailboxes its account created since `since`,
 * each counting what jobs have planned but not created yet — in one round trip, because every
 * mailbox creation asks this twice (a cheap pre-check, then under the account lock). The same
 * round trip reads the account's limits and, given an `address`, whether a mailbox or an alias
 * holds it: all a single creation checks.
 */
export async function capacityCounts(
  db: Kysely<Database>,
  opts: { domainId: string; accountId: string; since: string; address?: string },
): Promise<CapacityCounts> {
  const [row] = await capacityQuery(
    db,
    opts.domainId,
    opts.accountId,
    opts.since,
    opts.address ?? null,
  );
  if (!row) throw new Error(`account ${opts.accountId} does not exist`);
  return toCounts(row);
}

/**
 * What counts against the hourly limit: mailboxes created in the window plus those planned and
 * not yet created (a staged job's later waves count from the moment they are accepted). One
 * definition for the limit check and for the usage GET /v1/limits shows.
 */
function createdSinceCounts(
  eb: ExpressionBuilder<Database, never>,
  accountId: string,
  since: string,
) {
  return [
    eb
      .selectFrom('mailboxes')
      .select(eb.fn.countAll().as('n'))
      .where('account_id', '=', accountId)
      .where('created_at', '>', since)
      .as('created_since'),
    eb
      .selectFrom('job_items')
      .select(eb.fn.countAll().as('n'))
      .where('status', '=', 'pending')
      .where('account_id', '=', accountId)
      .where('domain_id', 'is not', null)
      .as('planned_account'),
  ] as const;
}

export async function mailboxesSince(
  db: Kysely<Database>,
  accountId: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectNoFrom((eb) => createdSinceCounts(eb, accountId, since))
    .executeTakeFirstOrThrow();
  return count(row.created_since) + count(row.planned_account);
}

/** When the last job of these kinds with more than `minPlanned` items to run was accepted. */
export async function lastJobAt(
  db: Kysely<Database>,
  accountId: string,
  kinds: JobKind[],
  minPlanned: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('account_id', '=', accountId)
    .where('kind', 'in', kinds)
    .where('planned', '>', minPlanned)
    .executeTakeFirst();
  return row?.at ?? undefined;
}
