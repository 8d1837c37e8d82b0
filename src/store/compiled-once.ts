import { CompiledQuery, type Compilable, type Insertable, type Kysely } from 'kysely';
import { PREPARED } from './database.js';
import { dialectOf, type Dialect } from './dialect.js';
import type { Database } from './schema.js';

/** Stands for the i-th argument while the query is built; never reaches a database. */
class Placeholder {
  constructor(readonly index: number) {}
}

/**
 * A hot query built and compiled by Kysely once per dialect, then run with each call's
 * arguments bound in: Kysely builds and compiles every query anew, which for a statement with
 * many subqueries takes longer than SQLite takes to run it. `build` receives placeholders for
 * the arguments: each may only be used as a bound value (`where(col, '=', arg)`), never to
 * choose the query's shape, and must be a single value (no `in` lists, whose length is shape).
 * Its text never varies, so PostgreSQL runs it as a named prepared statement (PREPARED): parsed
 * and planned once per connection, not on every run (a single creation's capacity check took
 * 0.65 ms of the backend's CPU unnamed, 0.09 ms prepared). It must name its columns, not `*`:
 * a prepared `*` fails once a migration adds a column under a running process.
 */
export function compiledOnce<A extends unknown[], R>(
  build: (db: Kysely<Database>, ...args: A) => Compilable<R>,
): (db: Kysely<Database>, ...args: A) => Promise<R[]> {
  const byDialect = new Map<Dialect, { sql: string; parameters: readonly unknown[] }>();
  return async (db, ...args) => {
    const dialect = dialectOf(db);
    let compiled = byDialect.get(dialect);
    if (!compiled) {
      const placeholders = args.map((_, i) => new Placeholder(i)) as A;
      const { sql, parameters } = build(db, ...placeholders).compile();
      compiled = { sql: dialect === 'postgres' ? PREPARED + sql : sql, parameters };
      byDialect.set(dialect, compiled);
    }
    const parameters = compiled.parameters.map((p) =>
      p instanceof Placeholder ? args[p.index] : p,
    );
    const { rows } = await db.executeQuery<R>(CompiledQuery.raw(compiled.sql, parameters));
    return rows;
  };
}

/**
 * A one-row INSERT of always the same `columns` of `table`, compiled once per dialect like
 * compiledOnce: the row's values are bound in column order (a missing one as NULL).
 */
export function compiledInsert<T extends keyof Database & string>(
  table: T,
  columns: readonly (keyof Insertable<Database[T]> & string)[],
): (db: Kysely<Database>, row: Insertable<Database[T]>) => Promise<void> {
  const insert = compiledOnce((db: Kysely<Database>, ...values: unknown[]) =>
    db.insertInto(table).values(valuesOf(columns, values)),
  );
  return async (db, row) => {
    const values = row as Record<string, unknown>;
    await insert(db, ...columns.map((column) => values[column] ?? null));
  };
}

/** The row `values` (placeholders while a statement is built) give `columns`, in that order. */
export const valuesOf = (columns: readonly string[], values: readonly unknown[]) =>
  Object.fromEntries(columns.map((column, i) => [column, values[i]])) as never;
