import type { SchemaMigration } from './migration.js';

/**
 * Operators' second factor (src/core/totp.ts). The TOTP secret is sealed with the server key:
 * the server must compute codes from it, so it cannot be a hash. A pending secret waits for
 * its first code (`totp_confirmed_at` NULL); `totp_last_step` is the last time step accepted,
 * so a code is good once. Recovery codes are high-entropy and single-use, so SHA-256 suffices.
 * An account may require every operator to have TOTP (`require_totp`, integer boolean).
 */
export const operatorTotp: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('users').addColumn('totp_secret_sealed', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_confirmed_at', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_last_step', 'integer').execute();
    await db.schema
      .alterTable('accounts')
      .addColumn('require_totp', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('recovery_codes')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
      .execute();
  },
};
