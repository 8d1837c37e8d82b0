import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Scope } from '../core/token-scopes.js';
import { compiledOnce } from './compiled-once.js';
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

/** What a token may reach, as stored: scopes and (null: every) root domains. */
export interface StoredTokenAccess {
  scopes: Scope[];
  domains: string[] | null;
}

export async function insertApiToken(
  db: Kysely<Database>,
  row: {
    accountId: string;
    tokenHash: string;
    label: string;
    now: string;
  } & Partial<StoredTokenAccess>,
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
      scopes: JSON.stringify(row.scopes ?? ['admin']),
      domains: row.domains ? JSON.stringify(row.domains) : null,
    })
    .execute();
  return id;
}

const parseAccess = (row: { scopes: string; domains: string | null }): StoredTokenAccess => ({
  scopes: JSON.parse(row.scopes) as Scope[],
  domains: row.domains === null ? null : (JSON.parse(row.domains) as string[]),
});

/** findTokenOwner's statement, compiled once: every request with a bearer token runs it. */
const tokenOwnerQuery = compiledOnce((db: Kysely<Database>, tokenHash: string) =>
  db
    .selectFrom('api_tokens')
    .select([
      'id as tokenId',
      'account_id as accountId',
      'label',
      'last_used_at as lastUsedAt',
      'scopes',
      'domains',
    ])
    .where('token_hash', '=', tokenHash),
);

/** The account, token and its access behind a token hash; the unique index makes this one probe. */
export async function findTokenOwner(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<
  | ({
      tokenId: string;
      accountId: string;
      label: string;
      lastUsedAt: string | null;
    } & StoredTokenAccess)
  | undefined
> {
  const [row] = await tokenOwnerQuery(db, tokenHash);
  return row && { ...row, ...parseAccess(row) };
}

/** One token's access, for checking that a narrowed token only revokes narrower ones. */
export async function findTokenAccess(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<StoredTokenAccess | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['scopes', 'domains'])
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row && parseAccess(row);
}

export async function touchApiToken(db: Kysely<Database>, id: string, now: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export interface ApiTokenListing extends StoredTokenAccess {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** An account's tokens, oldest first; never their hashes. */
export async function listApiTokens(
  db: Kysely<Database>,
  accountId: string,
): Promise<ApiTokenListing[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select([
      'id',
      'label',
      'created_at as createdAt',
      'last_used_at as lastUsedAt',
      'scopes',
      'domains',
    ])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, ...parseAccess(row) }));
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

/** Whether every operator of the account must sign in with TOTP. */
export async function setRequireTotp(
  db: Kysely<Database>,
  accountId: string,
  required: boolean,
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ require_totp: required ? 1 : 0 })
    .where('id', '=', accountId)
    .execute();
}
