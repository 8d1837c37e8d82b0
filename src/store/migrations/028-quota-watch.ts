import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * Whether a mailbox is near enough its quota that one message could overfill it
 * (src/core/quota-watch.ts): Postfix then asks Dovecot's quota-status at RCPT, and only then.
 * Dovecot's quota warnings keep it current as the storage in use crosses the mark; a new
 * mailbox starts empty, so below it. The mailboxes that exist already are marked: their usage is
 * unknown here, and asking too often costs only time; each is unmarked when it next drops below.
 *
 * `mail_quota_watch`: each active mailbox on a verified hostname, like `mail_users`, with its
 * quota and the mark; Postfix's `check_recipient_access` table selects the watched ones from it
 * by address (the unique index), with the margin of today's code (src/mailstack/queries.ts); on
 * PostgreSQL through `mail_quota_watched(key, margin_mb)`, which selects the same.
 */
export const quotaWatch: SchemaMigration = {
  async up(db, dialect) {
    await db.schema
      .alterTable('mailboxes')
      .addColumn('quota_nearly_full', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update mailboxes set quota_nearly_full = 1`.execute(db);
    await sql`
      create view mail_quota_watch as
      select m.address as address, m.quota_mb as quota_mb, m.quota_nearly_full as nearly_full
      from mailboxes m
      join domains d on d.id = m.domain_id
      where m.active = 1 and d.status = 'verified'
    `.execute(db);
    if (dialect !== 'postgres') return;
    // As mail_alias_targets (migration 025): planning the view's join for every recipient cost
    // PostgreSQL more than running it; a PL/pgSQL function keeps its plan per connection.
    const { rows } = await sql<{
      schema: string;
    }>`select quote_ident(current_schema()) as schema`.execute(db);
    const view = `${rows[0]!.schema}.mail_quota_watch`;
    await sql`
      create function mail_quota_watched(key text, margin_mb integer) returns setof text
      language plpgsql stable
      as ${sql.lit(`begin return query select address from ${view} where address = key and (nearly_full = 1 or quota_mb <= margin_mb); end`)}
    `.execute(db);
  },
};
