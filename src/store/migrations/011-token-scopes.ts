import type { SchemaMigration } from './migration.js';

/**
 * Scoped and domain-restricted API tokens (src/core/token-scopes.ts). Both columns hold JSON
 * arrays. Tokens made before keep full access: the default scope list is `["admin"]`, and a
 * NULL domain list means every domain of the account.
 */
export const tokenScopes: SchemaMigration = {
  async up(db) {
    await db.schema
      .alterTable('api_tokens')
      .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('["admin"]'))
      .execute();
    await db.schema.alterTable('api_tokens').addColumn('domains', 'text').execute();
  },
};
