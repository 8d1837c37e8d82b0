import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Records `keyCheck` as the database's server key if none is recorded yet, and returns the
 * recorded one: of several processes starting at once on a new database, the first insert wins
 * and every process compares against that.
 */
export async function recordServerKeyCheck(
  db: Kysely<Database>,
  keyCheck: string,
  now: string,
): Promise<string> {
  await db
    .insertInto('server_key_check')
    .values({ id: 1, key_check: keyCheck, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('server_key_check')
    .select('key_check')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return row.key_check;
}
