import { sql, type Kysely } from 'kysely';
import type { SchemaMigration } from './migration.js';
import { rebuildSqliteTables } from './rebuild-sqlite-tables.js';

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

/** SQLite cannot alter a CHECK constraint: both tables are rebuilt with the new one. */
const upSqlite = (db: Kysely<unknown>) =>
  rebuildSqliteTables(
    db,
    STATUS_CHECKS.map(({ table, before, after }) => ({
      table,
      redefine(create: string) {
        if (!create.includes(before)) throw new Error(`${table}: unexpected definition ${create}`);
        return create.replace(before, after);
      },
    })),
  );
