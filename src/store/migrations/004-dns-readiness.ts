import type { SchemaMigration } from './migration.js';

/**
 * The outcome of a domain's last live DNS check, so every view of the domain can say whether it
 * is ready without querying DNS on each read.
 */
export const dnsReadiness: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('domains').addColumn('dns_checked_at', 'text').execute();
    await db.schema.alterTable('domains').addColumn('dns_failing', 'text').execute();
  },
};
