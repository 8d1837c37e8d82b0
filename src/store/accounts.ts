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
): Promise<{ tokenId: string; accountId: string } | undefined> {
  return db
    .selectFrom('api_tokens')
    .select(['id as tokenId', 'account_id as accountId'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}
