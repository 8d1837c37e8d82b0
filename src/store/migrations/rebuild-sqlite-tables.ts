import { sql, type Kysely } from 'kysely';

/** One table to rebuild: how its stored CREATE TABLE changes, and which indexes come back. */
export interface TableRebuild {
  table: string;
  /** The new definition from the stored one; throw if the stored one is not what is expected. */
  redefine(create: string): string;
  /** Indexes recreated after the swap (all by default); a step may recreate one differently. */
  keepIndex?(name: string): boolean;
}

/**
 * SQLite cannot alter a constraint: its documented procedure is a copy of each table made from
 * the table's own stored definition (so every column any migration added comes along), filled,
 * the old tables dropped (children first: list parents first) and the copies renamed in, then
 * the indexes recreated — in one transaction with foreign keys off (set outside it, where
 * SQLite honours the pragma), and the keys checked before they are turned on again.
 */
export async function rebuildSqliteTables(
  db: Kysely<unknown>,
  rebuilds: readonly TableRebuild[],
): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      const indexes: string[] = [];
      for (const { table, redefine, keepIndex = () => true } of rebuilds) {
        const { rows } = await sql<{ type: string; name: string; sql: string }>`
          select type, name, sql from sqlite_master where tbl_name = ${table} and sql is not null
        `.execute(db);
        const create = rows.find((r) => r.type === 'table')?.sql ?? '';
        const copy = redefine(create).replace(
          /^create table "?\w+"?/i,
          `create table "${table}_new"`,
        );
        indexes.push(
          ...rows.filter((r) => r.type === 'index' && keepIndex(r.name)).map((r) => r.sql),
        );
        await sql.raw(copy).execute(db);
        await sql.raw(`insert into "${table}_new" select * from "${table}"`).execute(db);
      }
      for (const { table } of [...rebuilds].reverse()) {
        await sql.raw(`drop table "${table}"`).execute(db);
      }
      for (const { table } of rebuilds) {
        await sql.raw(`alter table "${table}_new" rename to "${table}"`).execute(db);
      }
      for (const index of indexes) await sql.raw(index).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      const tables = rebuilds.map((r) => r.table).join(', ');
      if (broken.rows.length > 0) throw new Error(`Foreign keys broken by rebuilding ${tables}.`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
