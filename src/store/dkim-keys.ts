import type { Kysely } from 'kysely';
import { inChunks } from './insert-chunks.js';
import type { Database, DkimKeyRow, NewDkimKeyRow } from './schema.js';

export async function insertDkimKey(db: Kysely<Database>, row: NewDkimKeyRow): Promise<void> {
  await db.insertInto('dkim_keys').values(row).execute();
}

/** Every key of a hostname, retired ones too (their selectors are never reused), oldest first. */
export async function listDkimKeys(db: Kysely<Database>, domainId: string): Promise<DkimKeyRow[]> {
  return db
    .selectFrom('dkim_keys')
    .selectAll()
    .where('domain_id', '=', domainId)
    .orderBy('created_at')
    .orderBy('selector')
    .execute();
}

export async function retireDkimKey(
  db: Kysely<Database>,
  keyId: string,
  now: string,
): Promise<void> {
  await db.updateTable('dkim_keys').set({ retired_at: now }).where('id', '=', keyId).execute();
}

/** Must run before the hostnames themselves are deleted: the keys reference them. */
export async function deleteDkimKeys(db: Kysely<Database>, domainIds: string[]): Promise<void> {
  for (const chunk of inChunks(domainIds)) {
    await db.deleteFrom('dkim_keys').where('domain_id', 'in', chunk).execute();
  }
}

/**
 * Every unretired key with its hostname's name and last DNS check, newest first within a
 * hostname and algorithm.
 */
export async function listActiveDkimKeys(
  db: Kysely<Database>,
): Promise<
  (DkimKeyRow & { domain: string; dnsCheckedAt: string | null; dnsFailing: string | null })[]
> {
  return (
    db
      .selectFrom('dkim_keys')
      .innerJoin('domains', 'domains.id', 'dkim_keys.domain_id')
      .selectAll('dkim_keys')
      .select([
        'domains.name as domain',
        'domains.dns_checked_at as dnsCheckedAt',
        'domains.dns_failing as dnsFailing',
      ])
      .where('dkim_keys.retired_at', 'is', null)
      // Only the verified row of a name signs: pending claims on it (other accounts') never do.
      .where('domains.status', '=', 'verified')
      .orderBy('domains.name')
      .orderBy('dkim_keys.algorithm')
      .orderBy('dkim_keys.created_at', 'desc')
      .orderBy('dkim_keys.selector', 'desc')
      .execute()
  );
}
