import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Account, Database } from './schema.js';

export type AccountIdentity = Pick<Account, 'id' | 'name' | 'created_at'>;

export async function insertAccount(
  db: Kysely<Database>,
  name: string,
  now: string,
): Promise<AccountIdentity> {
  const account = { id: randomUUID(), name, created_at: now };
  await db.insertInto('accounts').values(account).execute();
  return account;
}

export function findAccountByName(
  db: Kysely<Database>,
  name: string,
): Promise<Account | undefined> {
  return db.selectFrom('accounts').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function countAccounts(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertApiToken(
  db: Kysely<Database>,
  row: { accountId: string; tokenHash: string; label: string; now: string },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('api_tokens')
    .values({
      id,
      account_id: row.accountId,
      token_hash: row.tokenHash,
      label: row.label,
      created_at: row.now,
    })
    .execute();
  return id;
}

/** The account and token id behind a token hash; the unique index makes this one probe. */
export function findTokenOwner(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<{ tokenId: string; accountId: string; lastUsedAt: string | null } | undefined> {
  return db
    .selectFrom('api_tokens')
    .select(['id as tokenId', 'account_id as accountId', 'last_used_at as lastUsedAt'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export interface ApiTokenListing {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** An account's tokens, oldest first; never their hashes. */
export function listApiTokens(db: Kysely<Database>, accountId: string): Promise<ApiTokenListing[]> {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'label', 'created_at as createdAt', 'last_used_at as lastUsedAt'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** True when the account had this token and it is now gone. */
export async function deleteApiToken(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('api_tokens')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
