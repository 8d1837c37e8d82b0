import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * The contract between Mailwright's schema and the mail servers (docs/mail-plane.md): Postfix and
 * Dovecot read these three views and nothing else, so the tables behind them may change as long
 * as the views keep their columns. The SQL is identical on SQLite and PostgreSQL.
 *
 * - `mail_domains`: every root and sub-domain that is verified; only those receive mail.
 * - `mail_users`: every active mailbox on a verified hostname, with its stored
 *   `{ARGON2ID}$argon2id$…` hash, its quota (MB, bytes and as Dovecot's quota rule) and its
 *   maildir relative to the mail root (`<domain>/<local part>/`). A disabled mailbox, or one on a
 *   pending hostname, is absent: absence is how the servers learn it may not log in or receive.
 * - `mail_senders`: address → the login allowed to send as it (`smtpd_sender_login_maps`); each
 *   mailbox may send only as itself.
 *
 * Each view is a plain selection (and one join on the domains' primary key), so a lookup by
 * `address` or `name` is served by the tables' unique indexes.
 */
export const mailViews: SchemaMigration = { up: createMailViews };

export async function createMailViews(db: Kysely<unknown>): Promise<void> {
  await sql`
      create view mail_domains as
      select d.name as name
      from domains d
      where d.status = 'verified'
    `.execute(db);
  await sql`
      create view mail_users as
      select
        m.address as address,
        d.name as domain,
        m.local_part as local_part,
        m.password_hash as password,
        m.quota_mb as quota_mb,
        cast(m.quota_mb as bigint) * 1048576 as quota_bytes,
        '*:storage=' || cast(m.quota_mb as text) || 'M' as quota_rule,
        d.name || '/' || m.local_part || '/' as maildir
      from mailboxes m
      join domains d on d.id = m.domain_id
      where m.active = 1 and d.status = 'verified'
    `.execute(db);
  await sql`
      create view mail_senders as
      select m.address as address, m.address as login
      from mailboxes m
      join domains d on d.id = m.domain_id
      where m.active = 1 and d.status = 'verified'
    `.execute(db);
}

/** For a migration that changes a table the views read: SQLite cannot rebuild it under them. */
export async function dropMailViews(db: Kysely<unknown>): Promise<void> {
  await sql`drop view mail_senders`.execute(db);
  await sql`drop view mail_users`.execute(db);
  await sql`drop view mail_domains`.execute(db);
}
