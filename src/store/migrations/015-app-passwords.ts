import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * Mailbox app passwords (src/core/app-password.ts) and the view Dovecot's second passdb reads
 * them through. `public_id` is the first characters of the password itself, unique, so a login
 * selects at most one row; the whole password is stored only as its argon2id hash, in the form
 * Dovecot verifies. `last_used_at` is written by the auth policy report (docs/mail-plane.md).
 *
 * `mail_app_passwords`: each app password of an active mailbox on a verified hostname, like
 * `mail_users`; a disabled mailbox's app passwords are absent, so they stop working with it.
 * A lookup by `public_id` is served by its unique index, then one primary-key probe per join.
 */
export const appPasswords: SchemaMigration = {
  async up(db, dialect) {
    const bytewise = dialect === 'postgres' ? sql`collate "C"` : sql``;
    await db.schema
      .createTable('mailbox_app_passwords')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('mailbox_id', 'text', (c) =>
        c.notNull().references('mailboxes.id').onDelete('cascade'),
      )
      .addColumn('public_id', 'text', (c) => c.notNull().unique().modifyFront(bytewise))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema
      .createIndex('mailbox_app_passwords_mailbox')
      .on('mailbox_app_passwords')
      .columns(['mailbox_id', 'created_at'])
      .execute();
    await sql`
      create view mail_app_passwords as
      select p.public_id as public_id, m.address as address, p.password_hash as password
      from mailbox_app_passwords p
      join mailboxes m on m.id = p.mailbox_id
      join domains d on d.id = m.domain_id
      where m.active = 1 and d.status = 'verified'
    `.execute(db);
  },
};
