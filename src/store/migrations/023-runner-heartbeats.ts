import type { SchemaMigration } from './migration.js';

/**
 * One row per job runner (its id names host and pid), with the time of its latest heartbeat:
 * `mailwright doctor` reads the newest to tell whether any runner is alive
 * (src/core/runner-heartbeat.ts).
 */
export const runnerHeartbeats: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('runner_heartbeats')
      .addColumn('runner_id', 'text', (c) => c.primaryKey())
      .addColumn('beat_at', 'text', (c) => c.notNull())
      .execute();
  },
};
