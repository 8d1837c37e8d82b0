import { sql, type Kysely } from 'kysely';
import { createMailViews, dropMailViews } from './005-mail-views.js';
import type { SchemaMigration } from './migration.js';
import { rebuildSqliteTables } from './rebuild-sqlite-tables.js';

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

/** SQLite drops a column's UNIQUE only by rebuilding the table; its per-account index is remade above. */
const rebuildSqliteDomains = (db: Kysely<unknown>) =>
  rebuildSqliteTables(db, [
    {
      table: 'domains',
      redefine(create) {
        const unique = /("name" text\s+not null) unique/;
        if (!unique.test(create)) throw new Error(`Unexpected definition of domains: ${create}`);
        return create.replace(unique, '$1');
      },
      keepIndex: (name) => name !== 'domains_account_name',
    },
  ]);
