import type { Kysely } from 'kysely';
import type { Database, RunnerHeartbeatTable } from './schema.js';

/**
 * Records that `runnerId` is alive at `now`, and forgets runners silent since before
 * `forgetBefore` (each process is a new runner, so the rows of stopped ones would pile up).
 */
export async function recordHeartbeat(
  db: Kysely<Database>,
  runnerId: string,
  now: string,
  forgetBefore: string,
): Promise<void> {
  await db
    .insertInto('runner_heartbeats')
    .values({ runner_id: runnerId, beat_at: now })
    .onConflict((oc) => oc.column('runner_id').doUpdateSet({ beat_at: now }))
    .execute();
  await db.deleteFrom('runner_heartbeats').where('beat_at', '<', forgetBefore).execute();
}

/** The most recent heartbeat of any runner sharing this database, if one was ever written. */
export function latestHeartbeat(db: Kysely<Database>): Promise<RunnerHeartbeatTable | undefined> {
  return db
    .selectFrom('runner_heartbeats')
    .selectAll()
    .orderBy('beat_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
