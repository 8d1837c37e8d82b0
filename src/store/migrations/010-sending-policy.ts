import { sql } from 'kysely';
import { DEFAULT_DAILY_SEND_LIMIT, DEFAULT_HOURLY_SEND_LIMIT } from '../../core/sending.js';
import type { SchemaMigration } from './migration.js';

/**
 * Sending limits (src/core/sending.ts): each mailbox's policy, the account's defaults for new
 * mailboxes (NULL = the platform default, like every limit), and the counters the mail plane's
 * policy service keeps per mailbox and window. Counters are rows, not memory, so they survive a
 * restart and every Mailwright process on one PostgreSQL database shares them.
 */
export const sendingPolicy: SchemaMigration = {
  async up(db) {
    await db.schema
      .alterTable('mailboxes')
      .addColumn('send_daily_limit', 'integer', (c) =>
        c.notNull().defaultTo(DEFAULT_DAILY_SEND_LIMIT),
      )
      .execute();
    await db.schema
      .alterTable('mailboxes')
      .addColumn('send_hourly_limit', 'integer', (c) =>
        c.notNull().defaultTo(DEFAULT_HOURLY_SEND_LIMIT),
      )
      .execute();
    // All four set, or none: no warm-up.
    for (const [column, type] of [
      ['warmup_start', 'integer'],
      ['warmup_increment', 'integer'],
      ['warmup_max', 'integer'],
      ['warmup_start_date', 'text'],
    ] as const) {
      await db.schema.alterTable('mailboxes').addColumn(column, type).execute();
    }
    for (const column of [
      'default_daily_send_limit',
      'default_hourly_send_limit',
      'default_warmup_start',
      'default_warmup_increment',
      'default_warmup_max',
    ]) {
      await db.schema.alterTable('accounts').addColumn(column, 'integer').execute();
    }
    await db.schema
      .createTable('send_counts')
      .addColumn('mailbox_id', 'text', (c) =>
        c.notNull().references('mailboxes.id').onDelete('cascade'),
      )
      // 'day': a UTC day; 'minute': one minute of the rolling hour.
      .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('day', 'minute')`))
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('send_counts_pk', ['mailbox_id', 'period', 'window_start'])
      .execute();
  },
};
