import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * The first schema. Addresses and names are compared byte-wise on both databases (PostgreSQL
 * columns get `COLLATE "C"`), so keyset pagination and prefix searches are plain index ranges
 * that give the same order everywhere.
 */
export const initialSchema: SchemaMigration = {
  async up(db, dialect) {
    const bytewise = dialect === 'postgres' ? sql`collate "C"` : sql``;
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('domains')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull().unique().modifyFront(bytewise))
      .addColumn('unicode_name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('root', 'subdomain')`))
      .addColumn('parent_id', 'text', (c) => c.references('domains.id'))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'verified')`))
      .addColumn('verification_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('verified_at', 'text')
      .execute();
    await db.schema
      .createIndex('domains_account_name')
      .on('domains')
      .columns(['account_id', 'name'])
      .execute();
    await db.schema.createIndex('domains_parent').on('domains').column('parent_id').execute();

    await db.schema
      .createTable('mailboxes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id'))
      .addColumn('local_part', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull().unique().modifyFront(bytewise))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('quota_mb', 'integer', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('mailboxes_account_address')
      .on('mailboxes')
      .columns(['account_id', 'address'])
      .execute();
    await db.schema
      .createIndex('mailboxes_domain_address')
      .on('mailboxes')
      .columns(['domain_id', 'address'])
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('events_account_id')
      .on('events')
      .columns(['account_id', 'id'])
      .execute();
  },
};
