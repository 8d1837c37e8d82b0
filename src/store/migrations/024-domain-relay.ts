import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * A domain's own relay (smarthost, `[host]:port`; NULL: none), and `mail_relays`, the view
 * Postfix's `sender_dependent_relayhost_maps` reads: for each verified hostname with a relay,
 * the one its senders' mail leaves through. A sub-domain without a relay of its own follows its
 * root's. A hostname with neither is absent, and its mail leaves as the global
 * MAILWRIGHT_RELAY_HOST (or each recipient's MX) sends it.
 *
 * A lookup by `name` is served by the unique index of verified names (`domains_verified_name`,
 * migration 009); the parent is joined on its primary key.
 */
export const domainRelay: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('domains').addColumn('relay_host', 'text').execute();
    await sql`
      create view mail_relays as
      select d.name as name, coalesce(d.relay_host, p.relay_host) as relay_host
      from domains d
      left join domains p on p.id = d.parent_id
      where d.status = 'verified' and coalesce(d.relay_host, p.relay_host) is not null
    `.execute(db);
  },
};
