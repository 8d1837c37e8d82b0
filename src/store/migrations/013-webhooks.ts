import type { SchemaMigration } from './migration.js';

/**
 * Webhook endpoints and their outbox (src/core/webhooks.ts). A delivery row is written in the
 * transaction that appends its event (store/events.ts), so a change and its webhooks commit or
 * roll back together and a restart loses none; the dispatcher sends what is due. Deleting an
 * endpoint deletes its deliveries, so nothing more reaches it.
 */
export const webhooks: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      // JSON array of event types.
      .addColumn('events', 'text', (c) => c.notNull())
      // Sealed with the server key: it signs every delivery, so it cannot be a hash.
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('webhooks_account').on('webhooks').column('account_id').execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('webhook_id', 'text', (c) =>
        c.notNull().references('webhooks.id').onDelete('cascade'),
      )
      .addColumn('event_type', 'text', (c) => c.notNull())
      // The exact body sent: every attempt signs the same bytes.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      // Due time while pending (pushed forward while an attempt runs); NULL once settled.
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_attempt_at', 'text')
      .addColumn('response_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_log')
      .on('webhook_deliveries')
      .columns(['webhook_id', 'created_at'])
      .execute();
  },
};
