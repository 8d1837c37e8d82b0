import type { Kysely, Migration } from 'kysely';

/**
 * The outcome of a domain's last live DNS check, so every view of the domain can say whether it
 * is ready without querying DNS on each read.
 */
export const dnsReadiness: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('domains').addColumn('dns_checked_at', 'text').execute();
    await db.schema.alterTable('domains').addColumn('dns_failing', 'text').execute();
  },
};
