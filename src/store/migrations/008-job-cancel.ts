import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from './migration.js';

/** The CHECK constraints that gain `cancelled`: a job, and the items it never carried out. */
const STATUS_CHECKS = [
  {
    table: 'jobs',
    before: "status in ('queued', 'running', 'succeeded', 'failed')",
    after: "status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')",
  },
  {
    table: 'job_items',
    before: "status in ('pending', 'done', 'failed')",
    after: "status in ('pending', 'done', 'failed', 'cancelled')",
  },
] as const;

/**
 * Jobs can be cancelled: the job ends `cancelled`, its pending items become `cancelled` (no
 * longer reservations that limits count or that block deleting their domain).
 */
export const jobCancel: SchemaMigration = {
  up: (db, dialect) => (dialect === 'postgres' ? upPostgres(db) : upSqlite(db)),
};

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  for (const { table, after } of STATUS_CHECKS) {
    // PostgreSQL's name for the column constraint declared in 002.
    const name = `${table}_status_check`;
    await sql`alter table ${sql.table(table)} drop constraint ${sql.id(name)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(name)} check (${sql.raw(after)})`.execute(
      db,
    );
  }
}

/**
 * SQLite cannot alter a CHECK constraint: both tables are rebuilt from their own stored
 * definitions (so every column added since is kept) with the new constraint, as SQLite's
 * documented 12-step procedure does, in one transaction with foreign keys off.
 */
async function upSqlite(db: Kysely<unknown>): Promise<void> {
  const definition = async (type: 'table' | 'index', table: string) =>
    (
      await sql<{ sql: string }>`select sql from sqlite_master
        where type = ${type} and tbl_name = ${table} and sql is not null`.execute(db)
    ).rows.map((r) => r.sql);

  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      const indexes: string[] = [];
      for (const { table, before, after } of STATUS_CHECKS) {
        const [create] = await definition('table', table);
        if (!create?.includes(before)) throw new Error(`${table}: unexpected definition ${create}`);
        indexes.push(...(await definition('index', table)));
        const rebuilt = create
          .replace(before, after)
          .replace(/^create table "?\w+"?/i, `create table "${table}_new"`);
        await sql.raw(rebuilt).execute(db);
        await sql.raw(`insert into "${table}_new" select * from "${table}"`).execute(db);
      }
      // Children first; the new job_items already refers to "jobs" by name.
      for (const { table } of [...STATUS_CHECKS].reverse()) {
        await sql.raw(`drop table "${table}"`).execute(db);
      }
      for (const { table } of STATUS_CHECKS) {
        await sql.raw(`alter table "${table}_new" rename to "${table}"`).execute(db);
      }
      for (const index of indexes) await sql.raw(index).execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error('job_cancel: foreign keys broken by the rebuild');
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
