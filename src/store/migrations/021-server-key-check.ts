import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * One row naming the server key the database's sealed secrets (job credentials, DKIM keys, TOTP
 * secrets) are sealed with, as an HMAC of a fixed label under that key, which reveals nothing of
 * it. Every process sharing the database compares its own key to it at start
 * (src/app/server-key-check.ts), so a process with another key refuses to start instead of
 * sealing what the others cannot open.
 */
export const serverKeyCheck: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('server_key_check')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('key_check', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
