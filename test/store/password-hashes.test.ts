import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../src/store/accounts.js';
import type { Store } from '../../src/store/database.js';
import { insertDomain } from '../../src/store/domains.js';
import { insertMailboxes, setPasswordHashes } from '../../src/store/mailboxes.js';
import { DIALECTS, freshStore } from '../support/dialects.js';

const NOW = '2026-11-25T00:00:00.000Z';
const LATER = '2026-11-26T00:00:00.000Z';
/** More than one slice of the batched UPDATE, so its seams are crossed. */
const MAILBOXES = 450;

for (const dialect of DIALECTS) {
  describe(`setting many password hashes at once on ${dialect}`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    const accounts: Record<'acme' | 'other', string> = { acme: '', other: '' };

    const seed = async (account: string, name: string, count: number) => {
      const domainId = randomUUID();
      await insertDomain(store.db, {
        id: domainId,
        account_id: account,
        name,
        unicode_name: name,
        kind: 'root',
        parent_id: null,
        status: 'verified',
        verification_token: `t-${name}`,
        created_at: NOW,
        verified_at: NOW,
      });
      await insertMailboxes(
        store.db,
        Array.from({ length: count }, (_, i) => ({
          id: randomUUID(),
          account_id: account,
          domain_id: domainId,
          local_part: `m${i}`,
          address: `m${i}@${name}`,
          name: 'Josh Smith',
          password_hash: '{ARGON2ID}old',
          quota_mb: 1024,
          active: 1,
          created_at: NOW,
          updated_at: NOW,
        })),
      );
    };
    const hashes = (account: string) =>
      store.db
        .selectFrom('mailboxes')
        .select(['address', 'password_hash', 'updated_at'])
        .where('account_id', '=', account)
        .execute();

    beforeAll(async () => {
      ({ store, drop } = await freshStore(dialect));
      accounts.acme = (await insertAccount(store.db, 'acme', NOW)).id;
      accounts.other = (await insertAccount(store.db, 'other', NOW)).id;
      await seed(accounts.acme, 'acme.com', MAILBOXES);
      await seed(accounts.other, 'other.com', 1);
    });
    afterAll(() => drop());

    it('gives each mailbox its own hash and answers only the addresses it changed', async () => {
      const wanted = Array.from({ length: MAILBOXES }, (_, i) => ({
        address: `m${i}@acme.com`,
        hash: `{ARGON2ID}new-${i}`,
      }));
      // A mailbox deleted since (never there) and another account's: neither is touched.
      const strays = [
        { address: 'gone@acme.com', hash: '{ARGON2ID}stray' },
        { address: 'm0@other.com', hash: '{ARGON2ID}stray' },
      ];
      const changed = await setPasswordHashes(
        store.db,
        accounts.acme,
        [...wanted.slice(0, 200), ...strays, ...wanted.slice(200)],
        LATER,
      );
      expect(changed.sort()).toEqual(wanted.map((w) => w.address).sort());

      const rows = await hashes(accounts.acme);
      expect(rows).toHaveLength(MAILBOXES);
      for (const row of rows) {
        expect(row.password_hash, row.address).toBe(
          `{ARGON2ID}new-${row.address.slice(1, row.address.indexOf('@'))}`,
        );
        expect(row.updated_at).toBe(LATER);
      }
      expect(await hashes(accounts.other)).toEqual([
        { address: 'm0@other.com', password_hash: '{ARGON2ID}old', updated_at: NOW },
      ]);
    });

    it('changes nothing for an empty list', async () => {
      expect(await setPasswordHashes(store.db, accounts.acme, [], LATER)).toEqual([]);
    });
  });
}
