import type { SchemaMigration } from './migration.js';

/**
 * People who sign in to the web console: operators of one account, their browser sessions and
 * the failed sign-ins that rate limiting counts. The limits live in the database, not in process
 * memory, so a restart or a second server process does not reset them.
 */
export const operators: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      // Lowercased on the way in; unique across accounts, since sign-in asks only for the email.
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_account').on('users').column('account_id').execute();

    await db.schema
      .createTable('sessions')
      // SHA-256 hex of the cookie's secret: a leaked table cannot be replayed as cookies.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

    // One row per sign-in that has not (yet) succeeded; email as typed (lowercased), so unknown
    // addresses are limited too and the answer never tells which emails exist.
    await db.schema
      .createTable('login_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('login_attempts_email')
      .on('login_attempts')
      .columns(['email', 'created_at'])
      .execute();
    await db.schema
      .createIndex('login_attempts_ip')
      .on('login_attempts')
      .columns(['ip', 'created_at'])
      .execute();
    await db.schema
      .createIndex('login_attempts_created')
      .on('login_attempts')
      .column('created_at')
      .execute();

    // Shown on the tokens page so an operator can tell a token in use from a forgotten one.
    await db.schema.alterTable('api_tokens').addColumn('last_used_at', 'text').execute();
  },
};
