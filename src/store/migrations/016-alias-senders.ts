import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * `mail_senders` (migration 005) also lists each alias a mailbox receives as an address it may
 * send as: Postfix's envelope check (`reject_sender_login_mismatch`) and the From check
 * (src/mailstack/from-check.ts) both read it, so a mailbox may put its own address or one of its
 * aliases in the envelope and in the From header, and nothing else.
 *
 * An alias counts for each of its targets that is an active mailbox of the same account on a
 * verified hostname; catch-alls (`@host`) never do (they would let a mailbox send as any
 * address of the host), nor do a mailbox's forwards. A later migration that rebuilds the views
 * with 005's `createMailViews` must run `createSendersView` after it.
 */
export const aliasSenders: SchemaMigration = {
  async up(db) {
    await sql`drop view mail_senders`.execute(db);
    await createSendersView(db);
  },
};

export async function createSendersView(db: Parameters<SchemaMigration['up']>[0]): Promise<void> {
  await sql`
      create view mail_senders as
      select m.address as address, m.address as login
      from mailboxes m
      join domains d on d.id = m.domain_id
      where m.active = 1 and d.status = 'verified'
      union all
      select a.address as address, m.address as login
      from aliases a
      join domains ad on ad.id = a.domain_id
      join alias_targets t on t.alias_id = a.id
      join mailboxes m on m.address = t.target and m.account_id = a.account_id
      join domains d on d.id = m.domain_id
      where ad.status = 'verified' and m.active = 1 and d.status = 'verified'
        and a.address not like '@%'
    `.execute(db);
}
