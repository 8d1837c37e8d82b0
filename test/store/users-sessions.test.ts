import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteApiToken,
  insertAccount,
  insertApiToken,
  listApiTokens,
} from '../../src/store/accounts.js';
import type { Store } from '../../src/store/database.js';
import { isUniqueViolation } from '../../src/store/errors.js';
import {
  deleteLoginAttemptsBefore,
  deleteLoginAttemptsOf,
  insertLoginAttempt,
  nthLatestAttemptAt,
} from '../../src/store/login-attempts.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findSession,
  insertSession,
} from '../../src/store/sessions.js';
import { findUserForSignIn, insertUser } from '../../src/store/users.js';
import { DIALECTS, freshStore } from '../support/dialects.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute)).toISOString();

for (const dialect of DIALECTS) {
  describe(`users, sessions and login attempts on ${dialect}`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let accountId: string;
    let otherAccountId: string;

    const newUser = async (email: string) => {
      const id = randomUUID();
      await insertUser(store.db, {
        id,
        account_id: accountId,
        email,
        password_hash: '{ARGON2ID}x',
        created_at: at(0),
      });
      return id;
    };
    const newSession = async (userId: string, opts: { expires: number; seen: number }) => {
      const id = randomUUID();
      await insertSession(store.db, {
        id,
        user_id: userId,
        csrf_token: 'csrf',
        created_at: at(0),
        expires_at: at(opts.expires),
        last_seen_at: at(opts.seen),
      });
      return id;
    };

    beforeAll(async () => {
      ({ store, drop } = await freshStore(dialect));
      accountId = (await insertAccount(store.db, 'acme', at(0))).id;
      otherAccountId = (await insertAccount(store.db, 'other', at(0))).id;
    });
    afterAll(() => drop());

    it('keeps one user per email across accounts', async () => {
      await newUser('jane@example.com');
      const duplicate = insertUser(store.db, {
        id: randomUUID(),
        account_id: otherAccountId,
        email: 'jane@example.com',
        password_hash: '{ARGON2ID}y',
        created_at: at(1),
      });
      await expect(duplicate).rejects.toSatisfy(isUniqueViolation);
      await expect(findUserForSignIn(store.db, 'jane@example.com')).resolves.toMatchObject({
        accountId,
        accountName: 'acme',
        passwordHash: '{ARGON2ID}x',
      });
    });

    it('finds a session with its user and account, and deletes it', async () => {
      const userId = await newUser('find@example.com');
      const id = await newSession(userId, { expires: 600, seen: 0 });
      await expect(findSession(store.db, id)).resolves.toEqual({
        id,
        csrfToken: 'csrf',
        expiresAt: at(600),
        lastSeenAt: at(0),
        userId,
        email: 'find@example.com',
        accountId,
        accountName: 'acme',
        totpEnabled: false,
        totpRequired: false,
      });
      await expect(deleteSession(store.db, id)).resolves.toBe(true);
      await expect(findSession(store.db, id)).resolves.toBeUndefined();
      await expect(deleteSession(store.db, id)).resolves.toBe(false);
    });

    it("deletes a user's sessions with the user", async () => {
      const userId = await newUser('gone@example.com');
      const id = await newSession(userId, { expires: 600, seen: 0 });
      await store.db.deleteFrom('users').where('id', '=', userId).execute();
      await expect(findSession(store.db, id)).resolves.toBeUndefined();
      const rows = await store.db
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', id)
        .execute();
      expect(rows).toEqual([]);
    });

    it('purges sessions past their end or idle too long, and only those', async () => {
      const userId = await newUser('purge@example.com');
      const live = await newSession(userId, { expires: 600, seen: 100 });
      const ended = await newSession(userId, { expires: 90, seen: 80 });
      const idle = await newSession(userId, { expires: 600, seen: 10 });
      await deleteExpiredSessions(store.db, at(100), at(20));
      const left = await store.db
        .selectFrom('sessions')
        .select('id')
        .where('id', 'in', [live, ended, idle])
        .execute();
      expect(left.map((r) => r.id)).toEqual([live]);
    });

    it('finds the n-th latest attempt per email and per address within the window', async () => {
      for (const [minute, email, ip] of [
        [1, 'a@example.com', '192.0.2.1'],
        [2, 'a@example.com', '192.0.2.2'],
        [3, 'b@example.com', '192.0.2.1'],
        [4, 'a@example.com', '192.0.2.1'],
      ] as const) {
        await insertLoginAttempt(store.db, { email, ip, now: at(minute) });
      }
      const a = { email: 'a@example.com' };
      await expect(nthLatestAttemptAt(store.db, a, at(0), 1)).resolves.toBe(at(4));
      await expect(nthLatestAttemptAt(store.db, a, at(0), 3)).resolves.toBe(at(1));
      await expect(nthLatestAttemptAt(store.db, a, at(0), 4)).resolves.toBeUndefined();
      await expect(nthLatestAttemptAt(store.db, a, at(1), 3)).resolves.toBeUndefined();
      const ip = { ip: '192.0.2.1' };
      await expect(nthLatestAttemptAt(store.db, ip, at(0), 3)).resolves.toBe(at(1));

      await deleteLoginAttemptsBefore(store.db, at(2));
      await expect(nthLatestAttemptAt(store.db, a, at(0), 2)).resolves.toBeUndefined();
      await deleteLoginAttemptsOf(store.db, 'a@example.com');
      await expect(nthLatestAttemptAt(store.db, ip, at(0), 1)).resolves.toBe(at(3));
    });

    it("lists and revokes only the account's own tokens", async () => {
      const mine = await insertApiToken(store.db, {
        accountId,
        tokenHash: 'h1',
        label: 'ci',
        now: at(1),
      });
      const theirs = await insertApiToken(store.db, {
        accountId: otherAccountId,
        tokenHash: 'h2',
        label: 'theirs',
        now: at(2),
      });
      await expect(listApiTokens(store.db, accountId)).resolves.toEqual([
        // Tokens made without scopes hold admin on every domain, as they did before scopes.
        {
          id: mine,
          label: 'ci',
          createdAt: at(1),
          lastUsedAt: null,
          scopes: ['admin'],
          domains: null,
        },
      ]);
      await expect(deleteApiToken(store.db, accountId, theirs)).resolves.toBe(false);
      await expect(deleteApiToken(store.db, accountId, mine)).resolves.toBe(true);
      await expect(listApiTokens(store.db, accountId)).resolves.toEqual([]);
      await expect(listApiTokens(store.db, otherAccountId)).resolves.toHaveLength(1);
    });
  });
}
