import type { Insertable, Kysely } from 'kysely';
import type { Database, UserTable } from './schema.js';

export async function insertUser(db: Kysely<Database>, row: Insertable<UserTable>): Promise<void> {
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
  totp: UserTotp;
}

export interface UserTotp {
  secretSealed: string | null;
  /** TOTP is on once confirmed; a secret without it is an enrolment in progress. */
  confirmedAt: string | null;
  lastStep: number | null;
  /** The user's account requires TOTP of every operator. */
  required: boolean;
}

/** The user signing in and the account they act for, in one probe of the unique email index. */
export async function findUserForSignIn(
  db: Kysely<Database>,
  email: string,
): Promise<UserWithAccount | undefined> {
  const row = await selectUserWithAccount(db).where('users.email', '=', email).executeTakeFirst();
  return row && withTotp(row);
}

/** The same view of a signed-in user, by id. */
export async function findUserById(
  db: Kysely<Database>,
  id: string,
): Promise<UserWithAccount | undefined> {
  const row = await selectUserWithAccount(db).where('users.id', '=', id).executeTakeFirst();
  return row && withTotp(row);
}

function selectUserWithAccount(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .innerJoin('accounts', 'accounts.id', 'users.account_id')
    .select([
      'users.id as id',
      'users.email as email',
      'users.password_hash as passwordHash',
      'accounts.id as accountId',
      'accounts.name as accountName',
      'users.totp_secret_sealed',
      'users.totp_confirmed_at',
      'users.totp_last_step',
      'accounts.require_totp',
    ]);
}

function withTotp(row: {
  id: string;
  email: string;
  passwordHash: string;
  accountId: string;
  accountName: string;
  totp_secret_sealed: string | null;
  totp_confirmed_at: string | null;
  totp_last_step: number | string | null;
  require_totp: number | string;
}): UserWithAccount {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.passwordHash,
    accountId: row.accountId,
    accountName: row.accountName,
    totp: {
      secretSealed: row.totp_secret_sealed,
      confirmedAt: row.totp_confirmed_at,
      lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
      required: Number(row.require_totp) === 1,
    },
  };
}

/** Starts (or restarts) an enrolment: a pending secret, no recovery codes yet. */
export async function setPendingTotp(
  db: Kysely<Database>,
  userId: string,
  secretSealed: string,
): Promise<void> {
  await clearTotp(db, userId);
  await db
    .updateTable('users')
    .set({ totp_secret_sealed: secretSealed })
    .where('id', '=', userId)
    .execute();
}

/** TOTP on, from the step of the code that confirmed it, with fresh recovery codes. */
export async function confirmTotp(
  db: Kysely<Database>,
  userId: string,
  at: { now: string; step: number; recoveryCodeHashes: string[] },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_confirmed_at: at.now, totp_last_step: at.step })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(at.recoveryCodeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/**
 * Records `step` as used, only if it is later than the last one: false when another request
 * used that step (or a later one) first. One conditional UPDATE, so two concurrent sign-ins
 * with the same code cannot both pass.
 */
export async function claimTotpStep(
  db: Kysely<Database>,
  userId: string,
  step: number,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a recovery code; false when it was not one of the user's (or was used already). */
export async function useRecoveryCode(
  db: Kysely<Database>,
  userId: string,
  codeHash: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('recovery_codes')
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** TOTP off: secret, replay step and recovery codes gone. */
export async function clearTotp(db: Kysely<Database>, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret_sealed: null, totp_confirmed_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

/** The id of an account's user by email, for operator commands. */
export async function findUserIdInAccount(
  db: Kysely<Database>,
  accountId: string,
  email: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('account_id', '=', accountId)
    .where('email', '=', email)
    .executeTakeFirst();
  return row?.id;
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
