import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * The (account_id, address) index carries every column a page of mailboxes shows and filters on
 * (src/store/mailboxes.ts LISTING_COLUMNS and domain_id), so a page reads the index alone: one
 * sequential range instead of a descent into the table for each row, whose rows lie in the
 * order they were created, not the pages' address order. On SQLite that descent was about
 * 1.3 µs of the 5–6 µs a row of a page of 100 costs. The index holds no password hash and
 * replaces the narrow one, so every lookup that used it still finds it. PostgreSQL keeps the
 * key narrow and includes the rest (index-only scans).
 */
const KEY = ['account_id', 'address'] as const;
const SHOWN = [
  'domain_id',
  'id',
  'local_part',
  'name',
  'quota_mb',
  'active',
  'created_at',
  'forward_keep_copy',
  'send_daily_limit',
  'send_hourly_limit',
  'warmup_start',
  'warmup_increment',
  'warmup_max',
  'warmup_start_date',
] as const;

export const mailboxListingIndex: SchemaMigration = {
  async up(db, dialect) {
    const columns = (names: readonly string[]) => sql.join(names.map((c) => sql.id(c)));
    if (dialect === 'postgres') {
      await sql`create index mailboxes_account_listing on mailboxes (${columns(KEY)})
        include (${columns(SHOWN)})`.execute(db);
    } else {
      await sql`create index mailboxes_account_listing
        on mailboxes (${columns([...KEY, ...SHOWN])})`.execute(db);
    }
    await db.schema.dropIndex('mailboxes_account_address').execute();
  },
};
