import type { Kysely } from 'kysely';
import type { Database, SessionRow } from './schema.js';

export async function insertSession(db: Kysely<Database>, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export interface SessionWithUser {
  id: string;
  csrfToken: string;
  expiresAt: string;
  lastSeenAt: string;
  userId: string;
  email: string;
  accountId: string;
  accountName: string;
  totpEnabled: boolean;
  totpRequired: boolean;
}

/** The session behind a cookie, with who it acts as: one primary-key probe and two joins. */
export async function findSession(
  db: Kysely<Database>,
  id: string,
): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('accounts', 'accounts.id', 'users.account_id')
    .select([
      'sessions.id as id',
      'sessions.csrf_token as csrfToken',
      'sessions.expires_at as expiresAt',
      'sessions.last_seen_at as lastSeenAt',
      'users.id as userId',
      'users.email as email',
      'accounts.id as accountId',
      'accounts.name as accountName',
      'users.totp_confirmed_at',
      'accounts.require_totp',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { totp_confirmed_at, require_totp, ...session } = row;
  return {
    ...session,
    totpEnabled: totp_confirmed_at !== null,
    totpRequired: Number(require_totp) === 1,
  };
}

/** Ends every session of a user (after their second factor was reset). */
export async function deleteSessionsOfUser(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function touchSession(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

/** True when a session was deleted. */
export async function deleteSession(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Removes sessions past their absolute end or idle since before `idleSince`. */
export async function deleteExpiredSessions(
  db: Kysely<Database>,
  now: string,
  idleSince: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
    .execute();
}
