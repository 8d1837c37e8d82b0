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
