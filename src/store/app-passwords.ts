import type { Kysely } from 'kysely';
import type { AppPasswordTable, Database } from './schema.js';

export type AppPasswordListing = Pick<
  AppPasswordTable,
  'id' | 'label' | 'created_at' | 'last_used_at'
>;

export async function insertAppPassword(
  db: Kysely<Database>,
  row: Omit<AppPasswordTable, 'last_used_at'>,
): Promise<void> {
  await db.insertInto('mailbox_app_passwords').values(row).execute();
}

/** A mailbox's app passwords, oldest first; never a hash. */
export function listAppPasswords(
  db: Kysely<Database>,
  mailboxId: string,
): Promise<AppPasswordListing[]> {
  return db
    .selectFrom('mailbox_app_passwords')
    .select(['id', 'label', 'created_at', 'last_used_at'])
    .where('mailbox_id', '=', mailboxId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countAppPasswords(db: Kysely<Database>, mailboxId: string): Promise<number> {
  const row = await db
    .selectFrom('mailbox_app_passwords')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The deleted row's label, or undefined when the mailbox has no such app password. */
export async function deleteAppPassword(
  db: Kysely<Database>,
  mailboxId: string,
  id: string,
): Promise<string | undefined> {
  const row = await db
    .deleteFrom('mailbox_app_passwords')
    .where('mailbox_id', '=', mailboxId)
    .where('id', '=', id)
    .returning('label')
    .executeTakeFirst();
  return row?.label;
}

/**
 * Records a successful login with the app password whose public id is `publicId`, if it belongs
 * to `address`; later reports never move the time backwards.
 */
export async function markAppPasswordUsed(
  db: Kysely<Database>,
  address: string,
  publicId: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('mailbox_app_passwords')
    .set({ last_used_at: at })
    .where('public_id', '=', publicId)
    .where('mailbox_id', 'in', (eb) =>
      eb.selectFrom('mailboxes').select('id').where('address', '=', address),
    )
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
