import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * Platform limits (per account, NULL = the documented default), per-hostname mailbox slots and
 * storage pools, and durable jobs: a job's items are planned up front, so a crash loses nothing
 * and a restart finishes exactly what was planned.
 */
export const limitsAndJobs: SchemaMigration = {
  async up(db, dialect) {
    const bytewise = dialect === 'postgres' ? sql`collate "C"` : sql``;
    for (const column of [
      'max_domains',
      'max_subdomains_per_domain',
      'max_mailboxes_per_domain',
      'max_bulk_count',
      'max_mailboxes_per_hour',
      'cooldown_threshold',
      'cooldown_seconds',
    ]) {
      await db.schema.alterTable('accounts').addColumn(column, 'integer').execute();
    }
    await db.schema.alterTable('domains').addColumn('mailbox_limit', 'integer').execute();
    await db.schema
      .alterTable('domains')
      .addColumn('quota_mb', 'integer', (c) => c.notNull().defaultTo(10240))
      .execute();
    await db.schema
      .createIndex('mailboxes_account_created')
      .on('mailboxes')
      .columns(['account_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`),
      )
      .addColumn('total', 'integer', (c) => c.notNull())
      // Items accepted to run (total less rows refused at upload): what a cooldown weighs.
      .addColumn('planned', 'integer', (c) => c.notNull())
      .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('request_hash', 'text')
      .addColumn('credentials', 'text', (c) =>
        c.notNull().check(sql`credentials in ('none', 'available', 'downloaded', 'expired')`),
      )
      .addColumn('stage_size', 'integer')
      .addColumn('stage_interval_seconds', 'integer')
      .addColumn('next_run_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('jobs_idempotency')
      .on('jobs')
      .columns(['account_id', 'idempotency_key'])
      .unique()
      .execute();
    await db.schema
      .createIndex('jobs_account_kind_created')
      .on('jobs')
      .columns(['account_id', 'kind', 'created_at'])
      .execute();
    await db.schema
      .createIndex('jobs_runnable')
      .on('jobs')
      .columns(['status', 'created_at'])
      .execute();

    await db.schema
      .createTable('job_items')
      .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('domain_id', 'text')
      .addColumn('target', 'text', (c) => c.notNull().modifyFront(bytewise))
      .addColumn('local_part', 'text')
      .addColumn('name', 'text')
      .addColumn('quota_mb', 'integer')
      .addColumn('wave', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('pending', 'done', 'failed')`),
      )
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('sealed_password', 'text')
      .addPrimaryKeyConstraint('job_items_pk', ['job_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('job_items_job_status')
      .on('job_items')
      .columns(['job_id', 'status', 'seq'])
      .execute();
    // Pending creating items are reservations: limits count them, and no two jobs may plan
    // one address.
    await db.schema
      .createIndex('job_items_pending_target')
      .on('job_items')
      .column('target')
      .unique()
      .where(sql<boolean>`status = 'pending' and domain_id is not null`)
      .execute();
    await db.schema
      .createIndex('job_items_pending_domain')
      .on('job_items')
      .columns(['domain_id', 'status'])
      .execute();
    await db.schema
      .createIndex('job_items_pending_account')
      .on('job_items')
      .columns(['account_id', 'status'])
      .execute();
  },
};
