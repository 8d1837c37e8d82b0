import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * Aliases, catch-alls and mailbox forwarding (src/core/mail-routing.ts), and the view the mail
 * plane reads them through. An alias's `address` is `local@host`, or `@host` for the host's
 * catch-all, which is also the key Postfix looks a catch-all up by. A mailbox forwards while
 * `forward_keep_copy` is set (1: it also keeps the message), to the rows of `mailbox_forwards`.
 */
export const mailRouting: SchemaMigration = {
  async up(db, dialect) {
    const bytewise = dialect === 'postgres' ? sql`collate "C"` : sql``;
    await db.schema
      .createTable('aliases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      // Deleting one domain refuses while aliases are left (services/domains/delete-domain.ts);
      // a cascading bulk delete takes them with it, as it takes the mailboxes.
      .addColumn('domain_id', 'text', (c) =>
        c.notNull().references('domains.id').onDelete('cascade'),
      )
      .addColumn('address', 'text', (c) => c.notNull().unique().modifyFront(bytewise))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('aliases_account_address')
      .on('aliases')
      .columns(['account_id', 'address'])
      .execute();
    await db.schema
      .createIndex('aliases_domain_address')
      .on('aliases')
      .columns(['domain_id', 'address'])
      .execute();
    for (const [table, owner] of [
      ['alias_targets', 'aliases'],
      ['mailbox_forwards', 'mailboxes'],
    ] as const) {
      const ownerColumn = owner === 'aliases' ? 'alias_id' : 'mailbox_id';
      await db.schema
        .createTable(table)
        .addColumn(ownerColumn, 'text', (c) =>
          c.notNull().references(`${owner}.id`).onDelete('cascade'),
        )
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull().modifyFront(bytewise))
        .addPrimaryKeyConstraint(`${table}_pk`, [ownerColumn, 'position'])
        .execute();
    }
    await db.schema.alterTable('mailboxes').addColumn('forward_keep_copy', 'integer').execute();
    await db.schema.alterTable('accounts').addColumn('max_alias_targets', 'integer').execute();
    await createAliasView(db);
  },
};

/**
 * `mail_aliases`: address → target, one row per target, what Postfix's `virtual_alias_maps`
 * reads (several rows are one comma-separated result). On verified hostnames only, like the
 * other views:
 *
 * - each alias's and catch-all's targets;
 * - each active forwarding mailbox's targets;
 * - each active mailbox to itself, unless it forwards without a copy. A catch-all (`@host`) is
 *   looked up only after the full address found nothing, so this row is what keeps a catch-all
 *   from taking a mailbox's mail; Postfix stops expanding an address that maps to itself.
 *
 * A plain UNION ALL of selections: both databases push `address = …` into each branch, where a
 * unique index serves it (aliases.address, mailboxes.address).
 */
async function createAliasView(db: Parameters<SchemaMigration['up']>[0]): Promise<void> {
  await sql`
      create view mail_aliases as
      select a.address as address, t.target as target
      from aliases a
      join domains d on d.id = a.domain_id
      join alias_targets t on t.alias_id = a.id
      where d.status = 'verified'
      union all
      select m.address as address, f.target as target
      from mailboxes m
      join domains d on d.id = m.domain_id
      join mailbox_forwards f on f.mailbox_id = m.id
      where m.active = 1 and d.status = 'verified' and m.forward_keep_copy is not null
      union all
      select m.address as address, m.address as target
      from mailboxes m
      join domains d on d.id = m.domain_id
      where m.active = 1 and d.status = 'verified'
        and (m.forward_keep_copy is null or m.forward_keep_copy = 1)
    `.execute(db);
}
