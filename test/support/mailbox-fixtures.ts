import type { Store } from '../../src/store/database.js';

/** A valid single-mode request body; tests override the field they are about. */
export const singleMailbox = (overrides: Record<string, unknown> = {}) => ({
  mode: 'single',
  name: 'Josh Smith',
  localPart: 'josh',
  domain: 'example.com',
  password: { generate: true },
  ...overrides,
});

/** The password hash as stored, to check a handed-out password against. */
export async function storedHash(store: Store, address: string): Promise<string> {
  const row = await store.db
    .selectFrom('mailboxes')
    .select('password_hash')
    .where('address', '=', address)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}
