import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * The (domain_id, address) index carries quota_mb too, so a hostname's storage in use
 * (`sum(quota_mb)`, which every single creation reads twice: before hashing and under the
 * account lock, store/limits.ts capacityColumns) is summed from the index alone instead of a
 * descent into the table for each of the hostname's mailboxes, whose rows lie in creation order,
 * scattered among other hostnames'. On SQLite that was a quarter of the capacity statement.
 * It replaces the narrow index, so every lookup by hostname (and by hostname and address) still
 * finds its key first. PostgreSQL keeps the key narrow and includes the quota.
 */
export const mailboxDomainQuota: SchemaMigration = {
  async up(db, dialect) {
    if (dialect === 'postgres') {
      await sql`create index mailboxes_domain_address_quota on mailboxes (domain_id, address)
        include (quota_mb)`.execute(db);
    } else {
      await sql`create index mailboxes_domain_address_quota
        on mailboxes (domain_id, address, quota_mb)`.execute(db);
    }
    await db.schema.dropIndex('mailboxes_domain_address').execute();
  },
};
