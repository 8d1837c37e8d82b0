import { sql } from 'kysely';
import type { SchemaMigration } from './migration.js';

/**
 * `mail_alias_targets(address)`, PostgreSQL only: the targets `mail_aliases` (migration 012)
 * has for one address, what Postfix's `virtual_alias_maps` asks twice for every message (the
 * RCPT check, then the expansion). Postfix sends plain queries, which PostgreSQL plans anew each
 * time, and planning the view's three joins under UNION ALL cost several times what running
 * them does; PL/pgSQL plans the statement inside once per connection and reuses the plan, and
 * `SELECT … FROM mail_alias_targets('…')` itself plans trivially.
 *
 * It reads the view, so it holds nothing of its own that could go stale, and the view is
 * resolved by name at each connection's first call: a migration that rebuilds the view needs
 * nothing here. The view is qualified with the schema the migration runs in, because Postfix
 * may connect with a search_path that does not name it (it qualifies the function instead).
 * SQLite runs the view's statement inside Postfix's own process, and keeps reading the view.
 */
export const aliasLookup: SchemaMigration = {
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    const { rows } = await sql<{
      schema: string;
    }>`select quote_ident(current_schema()) as schema`.execute(db);
    const view = `${rows[0]!.schema}.mail_aliases`;
    await sql`
      create function mail_alias_targets(key text) returns setof text
      language plpgsql stable
      as ${sql.lit(`begin return query select target from ${view} where address = key; end`)}
    `.execute(db);
  },
};
