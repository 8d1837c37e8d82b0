import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * DKIM key pairs, several per hostname: a rotation adds a selector and the old one stays
 * published until it is retired, so mail signed just before a rotation still verifies.
 */
export const dkimKeys: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('dkim_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('domain_id', 'text', (c) => c.notNull().references('domains.id'))
      .addColumn('selector', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) =>
        c.notNull().check(sql`algorithm in ('rsa', 'ed25519')`),
      )
      .addColumn('sealed_private_key', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .execute();
    // Also what makes two concurrent rotations of one hostname pick different selectors.
    await db.schema
      .createIndex('dkim_keys_domain_selector')
      .on('dkim_keys')
      .columns(['domain_id', 'selector'])
      .unique()
      .execute();
  },
};
