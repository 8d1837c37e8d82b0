import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUOTA_WATCH_MARGIN_MB } from '../../src/core/quota-watch.js';
import {
  APP_PASSWORD_FIELD,
  dovecotQueries,
  postfixQueries,
  QUOTA_CHECK_CLASS,
} from '../../src/mailstack/queries.js';
import { parseDatabaseUrl } from '../../src/mailstack/settings.js';
import { insertAccount } from '../../src/store/accounts.js';
import type { Store } from '../../src/store/database.js';
import { insertDomain } from '../../src/store/domains.js';
import { insertAlias, setForwarding } from '../../src/store/aliases.js';
import { insertAppPassword } from '../../src/store/app-passwords.js';
import { insertMailbox, setQuotaNearlyFull } from '../../src/store/mailboxes.js';
import { DIALECTS, freshStore } from '../support/dialects.js';

const NOW = '2026-11-25T00:00:00.000Z';
const HASH = '{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const MAIL_ROOT = '/srv/mail';
const WARNINGS = '/run/mailwright/quota-warnings/quota-warnings.sock';
const PATHS = { mailRoot: MAIL_ROOT, quotaWarnings: WARNINGS };

for (const dialect of DIALECTS) {
  describe(`mail views on ${dialect}`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let schema: string | undefined;
    let rivalId: string;

    beforeAll(async () => {
      let url: string;
      ({ store, drop, url } = await freshStore(dialect));
      const parsed = parseDatabaseUrl(url);
      schema = parsed.dialect === 'postgres' ? parsed.params.schema : undefined;
      const accountId = (await insertAccount(store.db, 'acme', NOW)).id;
      rivalId = (await insertAccount(store.db, 'rival', NOW)).id;
      const domain = async (
        name: string,
        status: 'pending' | 'verified',
        parentId: string | null = null,
        account = accountId,
      ) => {
        const id = randomUUID();
        await insertDomain(store.db, {
          id,
          account_id: account,
          name,
          unicode_name: name,
          kind: parentId ? 'subdomain' : 'root',
          parent_id: parentId,
          status,
          verification_token: 't',
          created_at: NOW,
          verified_at: status === 'verified' ? NOW : null,
        });
        return id;
      };
      const root = await domain('example.com', 'verified');
      const sub = await domain('sales.example.com', 'verified', root);
      const pending = await domain('pending.org', 'pending');
      await domain('team.pending.org', 'pending', pending);
      // Another account's pending claims on the same names: the mail plane never sees them.
      const claim = await domain('example.com', 'pending', null, rivalId);
      await domain('sales.example.com', 'pending', claim, rivalId);
      const mailbox = async (local: string, domainId: string, domainName: string, active = 1) =>
        insertMailbox(store.db, {
          id: randomUUID(),
          account_id: accountId,
          domain_id: domainId,
          local_part: local,
          address: `${local}@${domainName}`,
          name: 'Josh Smith',
          password_hash: `${HASH}-${local}`,
          quota_mb: local === 'big' ? 4096 : 1024,
          active,
          created_at: NOW,
          updated_at: NOW,
        });
      // Relays: the root's, which its sub-domain follows; a pending hostname's is never read.
      await store.db
        .updateTable('domains')
        .set({ relay_host: '[smtp.relay.test]:587' })
        .where('id', 'in', [root, pending])
        .execute();
      await mailbox('josh', root, 'example.com');
      await mailbox('big', root, 'example.com');
      await mailbox('off', root, 'example.com', 0);
      await mailbox('amy', sub, 'sales.example.com');
      await mailbox('wait', pending, 'pending.org');
      // Routing: an alias, a catch-all, and mailboxes forwarding with and without a copy.
      const alias = async (address: string, domainId: string, targets: string[]) =>
        insertAlias(
          store.db,
          {
            id: randomUUID(),
            account_id: accountId,
            domain_id: domainId,
            address,
            created_at: NOW,
            updated_at: NOW,
          },
          targets,
        );
      await alias('sales@example.com', root, ['josh@example.com', 'ann@partner.example']);
      await alias('@sales.example.com', sub, ['josh@example.com']);
      await alias('hello@pending.org', pending, ['josh@example.com']);
      for (const [local, keepCopy] of [
        ['fwd', true],
        ['away', false],
      ] as const) {
        await mailbox(local, root, 'example.com');
        const { id } = await store.db
          .selectFrom('mailboxes')
          .select('id')
          .where('address', '=', `${local}@example.com`)
          .executeTakeFirstOrThrow();
        await setForwarding(store.db, id, { to: ['x@elsewhere.example'], keepCopy });
      }
      // App passwords: two of josh's, one of the disabled mailbox's.
      for (const [publicId, address] of [
        ['jshphone', 'josh@example.com'],
        ['jshlaptp', 'josh@example.com'],
        ['offphone', 'off@example.com'],
      ] as const) {
        const { id } = await store.db
          .selectFrom('mailboxes')
          .select('id')
          .where('address', '=', address)
          .executeTakeFirstOrThrow();
        await insertAppPassword(store.db, {
          id: randomUUID(),
          mailbox_id: id,
          public_id: publicId,
          label: publicId,
          password_hash: `${HASH}-${publicId}`,
          created_at: NOW,
        });
      }
    });
    afterAll(() => drop());

    const rows = async <T>(query: string, params: unknown[] = []) =>
      (await store.db.executeQuery<T>(CompiledQuery.raw(query, params))).rows;
    // The servers substitute an escaped key between the quotes; a bound parameter is the same.
    const run = <T>(query: string, key: string) =>
      rows<T>(
        query.replace(/'%(s|Lu)'/, () => (dialect === 'postgres' ? '$1' : '?')),
        [key],
      );

    it('lists the verified roots and sub-domains, once each, and no pending hostname', async () => {
      const domains = await rows<{ name: string }>('select name from mail_domains order by name');
      expect(domains.map((d) => d.name)).toEqual(['example.com', 'sales.example.com']);
    });

    it('holds a name verified in one account only: a second verified row is refused', async () => {
      await expect(
        store.db
          .updateTable('domains')
          .set({ status: 'verified' })
          .where('account_id', '=', rivalId)
          .where('name', '=', 'example.com')
          .execute(),
      ).rejects.toThrow(/unique|duplicate/i);
    });

    it('gives an active mailbox on a verified hostname with its hash, quota and maildir', async () => {
      const [josh] = await rows<Record<string, unknown>>(
        "select * from mail_users where address = 'josh@example.com'",
      );
      expect(josh).toEqual({
        address: 'josh@example.com',
        domain: 'example.com',
        local_part: 'josh',
        password: `${HASH}-josh`,
        quota_mb: 1024,
        // PostgreSQL's bigint comes back as a string through node-postgres.
        quota_bytes: dialect === 'postgres' ? '1073741824' : 1073741824,
        quota_rule: '*:storage=1024M',
        maildir: 'example.com/josh/',
      });
    });

    it('computes quotas past 2 GiB in bytes without overflowing', async () => {
      const [big] = await rows<{ quota_bytes: number | string }>(
        "select quota_bytes from mail_users where address = 'big@example.com'",
      );
      expect(Number(big?.quota_bytes)).toBe(4096 * 1024 * 1024);
    });

    it('leaves out disabled mailboxes and mailboxes on pending hostnames', async () => {
      const users = await rows<{ address: string }>(
        'select address from mail_users order by address',
      );
      expect(users.map((u) => u.address)).toEqual([
        'amy@sales.example.com',
        'away@example.com',
        'big@example.com',
        'fwd@example.com',
        'josh@example.com',
      ]);
    });

    it('lets each active mailbox send as itself and as the aliases it receives, never a catch-all', async () => {
      const senders = await rows<{ address: string; login: string }>(
        'select address, login from mail_senders order by address',
      );
      expect(senders).toEqual([
        { address: 'amy@sales.example.com', login: 'amy@sales.example.com' },
        { address: 'away@example.com', login: 'away@example.com' },
        { address: 'big@example.com', login: 'big@example.com' },
        { address: 'fwd@example.com', login: 'fwd@example.com' },
        { address: 'josh@example.com', login: 'josh@example.com' },
        { address: 'sales@example.com', login: 'josh@example.com' },
      ]);
    });

    it("answers Postfix's lookups", async () => {
      const q = postfixQueries(schema ? { schema } : {});
      expect(await run(q.virtualMailboxDomains, 'sales.example.com')).toEqual([
        { name: 'sales.example.com' },
      ]);
      expect(await run(q.virtualMailboxDomains, 'pending.org')).toEqual([]);
      expect(await run(q.virtualMailboxMaps, 'amy@sales.example.com')).toEqual([
        { maildir: 'sales.example.com/amy/' },
      ]);
      expect(await run(q.virtualMailboxMaps, 'off@example.com')).toEqual([]);
      expect(await run(q.virtualMailboxMaps, 'wait@pending.org')).toEqual([]);
      expect(await run(q.senderLoginMaps, 'josh@example.com')).toEqual([
        { login: 'josh@example.com' },
      ]);
      expect(await run(q.senderLoginMaps, 'off@example.com')).toEqual([]);
    });

    it('keeps senders on verified hostnames as they are, and only those (SRS leaves them)', async () => {
      const q = postfixQueries(schema ? { schema } : {});
      // Postfix fills '%s' with the whole key and '%d' with its domain.
      const own = async (key: string) => {
        const domain = key.slice(key.lastIndexOf('@') + 1);
        const pg = dialect === 'postgres';
        const query = q.ownSenderMaps
          .replace("'%s'", pg ? '$1::text' : '?')
          .replace("'%d'", pg ? '$2' : '?');
        return (await rows<Record<string, string>>(query, [key, domain])).map(
          (r) => Object.values(r)[0],
        );
      };
      expect(await own('josh@example.com')).toEqual(['josh@example.com']);
      expect(await own('anyone@sales.example.com')).toEqual(['anyone@sales.example.com']);
      expect(await own('someone@pending.org')).toEqual([]);
      expect(await own('someone@remote.test')).toEqual([]);
    });

    it("gives a sender's verified hostname its relay, a sub-domain its root's, and others none", async () => {
      const q = postfixQueries(schema ? { schema } : {});
      // Postfix looks up the sender address, then @domain; '%d' is the domain of either.
      const relay = async (key: string) =>
        (
          await rows<{ relay_host: string }>(
            q.senderRelayMaps.replace("'%d'", dialect === 'postgres' ? '$1' : '?'),
            [key.slice(key.lastIndexOf('@') + 1)],
          )
        ).map((r) => r.relay_host);
      expect(await relay('josh@example.com')).toEqual(['[smtp.relay.test]:587']);
      expect(await relay('@example.com')).toEqual(['[smtp.relay.test]:587']);
      expect(await relay('amy@sales.example.com')).toEqual(['[smtp.relay.test]:587']);
      expect(await relay('wait@pending.org')).toEqual([]);
      expect(await relay('someone@remote.test')).toEqual([]);
    });

    /** Postfix fills %s, %u and %d from one key, each escaped for SQL, into the query's text. */
    const lookup = async (postfixQuery: string, key: string) => {
      const [local, domain] = key.split('@') as [string, string];
      const values = { s: key, u: local, d: domain } as Record<string, string>;
      const query = postfixQuery.replace(/%([sud])/g, (_, k: string) =>
        values[k]!.replace(/'/g, "''"),
      );
      return (await rows<Record<string, string>>(query)).map((r) => Object.values(r)[0]);
    };

    it('sends postmaster@ and abuse@ of a verified hostname, and no other name, to the postmaster', async () => {
      const q = postfixQueries(schema ? { schema } : {}, 'ops@example.net');
      const alias = (key: string) => lookup(q.roleAliasMaps!, key);
      expect(await alias('postmaster@example.com')).toEqual(['ops@example.net']);
      expect(await alias('abuse@sales.example.com')).toEqual(['ops@example.net']);
      expect(await alias('hostmaster@example.com')).toEqual([]);
      expect(await alias('postmaster@pending.org')).toEqual([]);
      // (A mailbox named postmaster@ or abuse@ taking its own mail: test/mailstack/e2e.test.ts.)
      expect(postfixQueries({}).roleAliasMaps).toBeNull();
    });

    it('passes a listed recipient, names the quota check for a mailbox one message could overfill, and leaves the rest', async () => {
      // On PostgreSQL through mail_quota_watched (028) and mail_alias_targets (025).
      const q = postfixQueries({ dialect, ...(schema ? { schema } : {}) });
      const check = (key: string) => lookup(q.recipientAccessMaps, key);
      const mark = async (address: string, nearlyFull: boolean) =>
        expect(await setQuotaNearlyFull(store.db, address, nearlyFull)).toBe(true);
      const setQuota = (address: string, quotaMb: number) =>
        store.db
          .updateTable('mailboxes')
          .set({ quota_mb: quotaMb })
          .where('address', '=', address)
          .execute();
      // A new mailbox has the room for the largest message: Postfix decides without quota-status.
      expect(await check('josh@example.com')).toEqual(['OK']);
      await mark('josh@example.com', true);
      expect(await check('josh@example.com')).toEqual([QUOTA_CHECK_CLASS]);
      await mark('josh@example.com', false);
      expect(await check('josh@example.com')).toEqual(['OK']);
      // A quota no larger than the largest message: always asked.
      await setQuota('amy@sales.example.com', QUOTA_WATCH_MARGIN_MB);
      expect(await check('amy@sales.example.com')).toEqual([QUOTA_CHECK_CLASS]);
      await setQuota('amy@sales.example.com', QUOTA_WATCH_MARGIN_MB + 1);
      expect(await check('amy@sales.example.com')).toEqual(['OK']);
      await setQuota('amy@sales.example.com', 1024);
      // An alias (several targets, one answer) is listed; a disabled mailbox, one on a pending
      // hostname and an unknown address are left to reject_unlisted_recipient, marked or not.
      expect(await check('sales@example.com')).toEqual(['OK']);
      await mark('off@example.com', true);
      await mark('wait@pending.org', true);
      expect(await check('off@example.com')).toEqual([]);
      expect(await check('wait@pending.org')).toEqual([]);
      expect(await check('nobody@example.com')).toEqual([]);
      // Postfix also asks an access table for the domain and `user@`: neither has both parts.
      expect(q.recipientAccessMaps).toContain("'%u@%d'");
      expect(q.recipientAccessMaps).not.toContain("'%s'");
    });

    it('routes aliases, catch-alls and forwards, and maps each receiving mailbox to itself', async () => {
      // On PostgreSQL through mail_alias_targets (migration 025), which reads the view.
      const q = postfixQueries({ dialect, ...(schema ? { schema } : {}) });
      const targets = async (key: string) =>
        (await run<{ target: string }>(q.virtualAliasMaps, key)).map((r) => r.target).sort();
      expect(await targets('sales@example.com')).toEqual([
        'ann@partner.example',
        'josh@example.com',
      ]);
      expect(await targets('@sales.example.com')).toEqual(['josh@example.com']);
      // A mailbox keeps its mail even where a catch-all would take the rest of its hostname.
      expect(await targets('amy@sales.example.com')).toEqual(['amy@sales.example.com']);
      expect(await targets('fwd@example.com')).toEqual(['fwd@example.com', 'x@elsewhere.example']);
      expect(await targets('away@example.com')).toEqual(['x@elsewhere.example']);
      expect(await targets('off@example.com')).toEqual([]);
      expect(await targets('hello@pending.org')).toEqual([]);
      expect(await targets('nobody@example.com')).toEqual([]);
    });

    it('serves a mail_aliases lookup from unique indexes in every branch', async () => {
      const query = `select target from mail_aliases where address = ${dialect === 'postgres' ? '$1' : '?'}`;
      if (dialect === 'sqlite') {
        const plan = (
          await rows<{ detail: string }>(`explain query plan ${query}`, ['x@example.com'])
        )
          .map((r) => r.detail)
          .join('\n');
        expect(plan).toMatch(
          /SEARCH a USING (?:COVERING )?INDEX sqlite_autoindex_aliases_\d \(address=\?\)/,
        );
        expect(plan).toMatch(/SEARCH m USING INDEX sqlite_autoindex_mailboxes_\d \(address=\?\)/);
        expect(plan).not.toMatch(/SCAN/);
      } else {
        await store.db.connection().execute(async (conn) => {
          await sql`set enable_seqscan = off`.execute(conn);
          const result = await conn.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${query}`, ['x@example.com']),
          );
          await sql`reset enable_seqscan`.execute(conn);
          const plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(plan).toMatch(/Index (?:Only )?Scan using aliases_address_key/);
          expect(plan).toMatch(/Index (?:Only )?Scan using mailboxes_address_key/);
          expect(plan).not.toMatch(/Seq Scan|Bitmap Heap Scan on (?:mailboxes|aliases)|Hash Join/);
        });
      }
    });

    it("answers Dovecot's lookups", async () => {
      const q = dovecotQueries(PATHS, schema ? { schema } : {});
      // The userdb answer comes with the password, for the prefetch userdb: one query a login.
      expect(await run(q.passwordQuery, 'josh@example.com')).toEqual([
        {
          user: 'josh@example.com',
          password: `${HASH}-josh`,
          userdb_home: '/srv/mail/example.com/josh/',
          userdb_quota_rule: '*:storage=1024M',
          // Watched from 50 MiB (the largest message) below the quota, either way.
          userdb_quota_warning: `storage=997376K ${WARNINGS} over josh@example.com`,
          userdb_quota_warning2: `-storage=997376K ${WARNINGS} under josh@example.com`,
        },
      ]);
      expect(await run(q.passwordQuery, 'off@example.com')).toEqual([]);
      expect(await run(q.userQuery, 'josh@example.com')).toEqual([
        {
          home: '/srv/mail/example.com/josh/',
          quota_rule: '*:storage=1024M',
          quota_warning: `storage=997376K ${WARNINGS} over josh@example.com`,
          quota_warning2: `-storage=997376K ${WARNINGS} under josh@example.com`,
        },
      ]);
      const all = await rows<{ user: string }>(q.iterateQuery);
      expect(all.map((u) => u.user).sort()).toEqual([
        'amy@sales.example.com',
        'away@example.com',
        'big@example.com',
        'fwd@example.com',
        'josh@example.com',
      ]);
    });

    it('selects the one app password whose public id begins the password sent, for that login only', async () => {
      const q = dovecotQueries(PATHS, schema ? { schema } : {});
      // Dovecot substitutes the escaped password (%w) and login (%Lu), in that order; bound here.
      const query = q.appPasswordQuery
        .replace("'%w'", dialect === 'postgres' ? '$1' : '?')
        .replace("'%Lu'", dialect === 'postgres' ? '$2' : '?');
      const answer = (password: string, login: string) => rows(query, [password, login]);
      expect(await answer('jshphoneRestOfTheSecret', 'josh@example.com')).toEqual([
        {
          user: 'josh@example.com',
          password: `${HASH}-jshphone`,
          [APP_PASSWORD_FIELD]: 'jshphone',
        },
      ]);
      expect(await answer('jshlaptpX', 'josh@example.com')).toEqual([
        {
          user: 'josh@example.com',
          password: `${HASH}-jshlaptp`,
          [APP_PASSWORD_FIELD]: 'jshlaptp',
        },
      ]);
      // Another mailbox's app password, a disabled mailbox's, a short or quoted password: none.
      expect(await answer('jshphoneX', 'amy@sales.example.com')).toEqual([]);
      expect(await answer('offphoneX', 'off@example.com')).toEqual([]);
      expect(await answer('jsh', 'josh@example.com')).toEqual([]);
      expect(await answer("jshphon'", 'josh@example.com')).toEqual([]);
    });

    it('serves a mail_app_passwords lookup from the unique public id index', async () => {
      const p = dialect === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      const query = `select address, password from mail_app_passwords where public_id = substr(${p[0]}, 1, 8) and address = ${p[1]}`;
      const key = ['jshphoneX', 'josh@example.com'];
      if (dialect === 'sqlite') {
        const plan = (await rows<{ detail: string }>(`explain query plan ${query}`, key))
          .map((r) => r.detail)
          .join('\n');
        expect(plan).toMatch(
          /SEARCH p USING INDEX sqlite_autoindex_mailbox_app_passwords_\d \(public_id=\?\)/,
        );
        expect(plan).not.toMatch(/SCAN/);
      } else {
        await store.db.connection().execute(async (conn) => {
          await sql`set enable_seqscan = off`.execute(conn);
          const result = await conn.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${query}`, key),
          );
          await sql`reset enable_seqscan`.execute(conn);
          const plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
          expect(plan).toMatch(/Index Scan using mailbox_app_passwords_public_id_key/);
          expect(plan).not.toMatch(/Seq Scan|Bitmap Heap Scan|Hash Join/);
        });
      }
    });

    it.each([
      ['mail_users', 'address', 'josh@example.com', 'mailboxes', undefined],
      ['mail_senders', 'address', 'josh@example.com', 'mailboxes', undefined],
      // Unique among verified rows only (several accounts may claim a name), which the view reads.
      ['mail_domains', 'name', 'example.com', 'domains', 'domains_verified_name'],
      // The same index, and the parent's primary key for a sub-domain's root.
      ['mail_relays', 'name', 'sales.example.com', 'domains', 'domains_verified_name'],
    ])(
      'serves a %s lookup by %s from the unique index',
      async (view, column, key, table, index) => {
        const query = `select * from ${view} where ${column} = ${dialect === 'postgres' ? '$1' : '?'}`;
        if (dialect === 'sqlite') {
          // SQLite names the index of a UNIQUE column sqlite_autoindex_<table>_<n>.
          const plan = (await rows<{ detail: string }>(`explain query plan ${query}`, [key]))
            .map((r) => r.detail)
            .join('\n');
          const name = index ?? `sqlite_autoindex_${table}_\\d`;
          expect(plan).toMatch(
            new RegExp(`SEARCH \\w+ USING (?:COVERING )?INDEX ${name} \\(${column}=\\?\\)`),
          );
          expect(plan).not.toMatch(/SCAN/);
        } else {
          await store.db.connection().execute(async (conn) => {
            // A tiny table is cheaper to scan; ask what the planner does once it is not.
            await sql`set enable_seqscan = off`.execute(conn);
            const result = await conn.executeQuery<{ 'QUERY PLAN': string }>(
              CompiledQuery.raw(`explain ${query}`, [key]),
            );
            await sql`reset enable_seqscan`.execute(conn);
            const plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
            expect(plan).toMatch(
              new RegExp(`Index (?:Only )?Scan using ${index ?? `${table}_${column}_key`}`),
            );
            expect(plan).not.toMatch(/Seq Scan|Bitmap Heap Scan on mailboxes|Hash Join/);
          });
        }
      },
    );
  });
}
