import type { SchemaMigration } from './migration.js';

/**
 * A credentials download opens a short window in which the same session or token may download
 * the file again (a broken transfer must not lose the only copy): who downloaded (an HMAC, never
 * the session's or token's own id) and until when the sealed passwords are kept.
 */
export const credentialsRetry: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('jobs').addColumn('credentials_holder', 'text').execute();
    await db.schema.alterTable('jobs').addColumn('credentials_retry_until', 'text').execute();
  },
};
