import type { SchemaMigration } from './migration.js';

/**
 * A root domain's web presence: the https URL its visitors are redirected to (NULL: none, the
 * domain's web records are not planned) and the target of its `track` CNAME for an email
 * tool's click tracking (NULL: none).
 */
export const domainWeb: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('domains').addColumn('redirect_to', 'text').execute();
    await db.schema.alterTable('domains').addColumn('tracking_cname', 'text').execute();
  },
};
