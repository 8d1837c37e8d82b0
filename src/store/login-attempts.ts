import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Records a sign-in before its password is checked; returns the row's id. */
export async function insertLoginAttempt(
  db: Kysely<Database>,
  attempt: { email: string; ip: string; now: string },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('login_attempts')
    .values({ id, email: attempt.email, ip: attempt.ip, created_at: attempt.now })
    .execute();
  return id;
}

export async function deleteLoginAttempt(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('id', '=', id).execute();
}

/** Forgets an email's failures once its password has been given right. */
export async function deleteLoginAttemptsOf(db: Kysely<Database>, email: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('email', '=', email).execute();
}

export async function deleteLoginAttemptsBefore(
  db: Kysely<Database>,
  before: string,
): Promise<void> {
  await db.deleteFrom('login_attempts').where('created_at', '<=', before).execute();
}

/**
 * When the `n`-th most recent attempt of `key` after `since` was made, or undefined if there
 * are fewer than `n`. Once that attempt leaves the window, fewer than `n` remain: it both
 * decides whether the limit is reached and until when. An index range on (key, created_at).
 */
export async function nthLatestAttemptAt(
  db: Kysely<Database>,
  key: { email: string } | { ip: string },
  since: string,
  n: number,
): Promise<string | undefined> {
  let query = db.selectFrom('login_attempts').select('created_at').where('created_at', '>', since);
  query = 'email' in key ? query.where('email', '=', key.email) : query.where('ip', '=', key.ip);
  const row = await query
    .orderBy('created_at', 'desc')
    .limit(1)
    .offset(n - 1)
    .executeTakeFirst();
  return row?.created_at;
}
