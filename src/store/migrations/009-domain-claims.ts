import { sql, type Kysely } from 'kysely';
import { createMailViews, dropMailViews } from './005-mail-views.js';
import type { SchemaMigration } from './migration.js';

/**
 * A domain name is unique per account and among verified domains, not across all rows: several
 * accounts may hold a pending claim on one name, and whoever proves ownership by DNS first
 * takes it (services/domains/verify-domain.ts). The mail views read only verified rows, so they still
 * see each name once; they are dropped and recreated around the change because SQLite cannot
 * drop a column's UNIQUE without rebuilding the table they read.
 */
export const domainClaims: SchemaMigration = {
  async up(db, dialect) {
    await dropMailViews(db);
    if (dialect === 'postgres') {
      await sql`alter table domains drop constraint domains_name_key`.execute(db);
      await sql`drop index domains_account_name`.execute(db);
    } else {
      await rebuildSqliteDomains(db);
    }
    await db.schema
      .createIndex('domains_account_name')
      .unique()
      .on('domains')
      .columns(['account_id', 'name'])
      .execute();
    await db.schema
      .createIndex('domains_verified_name')
      .unique()
      .on('domains')
      .column('name')
      .where(sql.ref('status'), '=', 'verified')
      .execute();
    await createMailViews(db);
  },
};

/**
 * SQLite's documented way to change a constraint: a copy of the table without it, filled, then
 * swapped in. The copy is made from the table's own definition, so columns added by any
 * migration come along. Foreign keys are off for the swap (outside a transaction, where SQLite
 * honours the pragma) and checked before they are turned on again.
 */
async function rebuildSqliteDomains(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = 'domains'
  `.execute(db);
  const table = rows.find((r) => r.type === 'table')?.sql ?? '';
  const unique = /("name" text\s+not null) unique/;
  if (!unique.test(table)) throw new Error(`Unexpected definition of domains: ${table}`);
  const copy = table
    .replace(unique, '$1')
    .replace(/^create table "domains"/i, 'create table "domains_new"');
  const indexes = rows.filter(
    (r) => r.type === 'index' && r.sql !== null && r.name !== 'domains_account_name',
  );

  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    await sql.raw(copy).execute(db);
    await sql`insert into domains_new select * from domains`.execute(db);
    await sql`drop table domains`.execute(db);
    await sql`alter table domains_new rename to domains`.execute(db);
    for (const index of indexes) await sql.raw(index.sql!).execute(db);
    const broken = await sql`pragma foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error('Foreign keys broken by the domains rebuild.');
    await sql`commit`.execute(db);
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
