import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type MigrationProvider,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
import type { Dialect } from './dialect.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * Opens `sqlite:PATH` (the embedded default) or `postgres://…` / `postgresql://…`.
 * SQLite runs in WAL mode so readers (the API, later the mail servers) never block the writer.
 */
export function openStore(url: string): Store {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    pool.on('connect', preparingMarked);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error('MAILWRIGHT_DATABASE_URL "sqlite:" needs a file path.');
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma(`mmap_size = ${MMAP_BYTES}`);
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: reusingStatements(sqlite) }),
    });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  throw new Error(
    `MAILWRIGHT_DATABASE_URL must start with sqlite: or postgres://; got "${url.split(':')[0]}:…".`,
  );
}

/**
 * How much of a SQLite file is read through a memory map rather than a read() into SQLite's
 * own page cache (better-sqlite3's 16 MB): a page of mailboxes at a random cursor visits index
 * and send-count pages scattered over the file, and with the page cache far smaller than the
 * file each one was a system call (a fifth of the page query's time at 100,000 mailboxes).
 * The largest map SQLite allows (its compiled maximum, 0x7fff0000, just under 2 GiB): at
 * 1,000,000 mailboxes the bench's file is 0.96 GB, within 4 % of a 1 GiB map before events and
 * jobs add their rows, and pages beyond the map go back to a read() each. Address space, not
 * memory: the OS keeps what is read in its file cache either way, shared by every process.
 */
export const MMAP_BYTES = 0x7fff0000;

/** Starts the SQL of a statement each PostgreSQL connection prepares once (`preparingMarked`). */
export const PREPARED = '/* prepared */ ';

const preparedNames = new Map<string, string>();

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it on each run: for a hot
 * statement of a few CTEs that took longer than running it (the sending policy's one-statement
 * batch: 3.3 ms unnamed, 1.9 ms prepared, on the shared 2-core VM). A statement whose SQL starts
 * with PREPARED runs as a named prepared statement instead, parsed once per connection; its
 * text must not vary with its arguments (arrays, not `in` lists), or names would pile up.
 */
function preparingMarked(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text !== 'string' || !text.startsWith(PREPARED))
      return query(text, values, callback);
    let name = preparedNames.get(text);
    if (name === undefined) {
      name = `mw_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      preparedNames.set(text, name);
    }
    return query({ name, text, values }, callback);
  }) as typeof client.query;
}

/** Distinct statements kept compiled; `IN (?, ?, …)` of every length makes the set unbounded. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and better-sqlite3 compiles a statement on each prepare:
 * a tenth of a single mailbox creation's CPU went to compiling the same few statements again.
 * Statements are kept by SQL text (least recently used dropped first); reusing one is safe
 * because every query runs to completion synchronously (nothing here streams).
 */
function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value!);
        }
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

/** Kysely's view of MIGRATIONS, each step given the dialect it runs on. */
function migrations(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: async () =>
      Object.fromEntries(
        MIGRATIONS.map(([name, migration]) => [name, { up: (db) => migration.up(db, dialect) }]),
      ),
  };
}

export async function migrateToLatest(store: Store): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one, so a
  // database holding several Mailwright schemas would skip creating them in a new one.
  const schema =
    store.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db: store.db,
    provider: migrations(store.dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
