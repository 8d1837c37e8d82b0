import type { Kysely } from 'kysely';
import type { Database, UserRow } from './schema.js';

export async function insertUser(db: Kysely<Database>, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function emailTaken(db: Kysely<Database>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

export interface UserWithAccount {
  id: string;
  email: string;
  passwordHash: string;
  accountId: string;
  accountName: string;
}

/** The user signing in and the account they act for, in one probe of the unique email index. */
export function findUserForSignIn(
  db: Kysely<Database>,
  email: string,
): Promise<UserWithAccount | undefined> {
  return db
    .selectFrom('users')
    .innerJoin('accounts', 'accounts.id', 'users.account_id')
    .select([
      'users.id as id',
      'users.email as email',
      'users.password_hash as passwordHash',
      'accounts.id as accountId',
      'accounts.name as accountName',
    ])
    .where('users.email', '=', email)
    .executeTakeFirst();
}

/** An account's users by email, for the operator's list. */
export function listUsers(
  db: Kysely<Database>,
  accountId: string,
): Promise<{ id: string; email: string; createdAt: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'created_at as createdAt'])
    .where('account_id', '=', accountId)
    .orderBy('email')
    .execute();
}

/** Deletes the user (their sessions go with them); whether there was one in this account. */
export async function deleteUser(
  db: Kysely<Database>,
  accountId: string,
  email: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('users')
    .where('account_id', '=', accountId)
    .where('email', '=', email)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
