import type { Compilable, Kysely } from 'kysely';
import { compiledOnce } from './compiled-once.js';
import type { Database } from './schema.js';

/**
 * A page's scope as its statement binds it: every value computed, none computed in the query,
 * so a statement of one shape can be compiled once (src/store/compiled-once.ts) and bound anew.
 */
export interface PageBounds {
  domainId?: string | undefined;
  /** An address prefix as the index range `address >= from AND address < to`. */
  prefix?: { from: string; to: string } | undefined;
  after?: string | undefined;
  /** `limit + 1`: the extra row only tells whether another page exists. */
  rows: number;
  roots?: readonly string[] | null | undefined;
}

/** The sending windows a listing counts in (src/core/sending.ts `sendWindows`). */
export interface ListWindows {
  day: string;
  hourSince: string;
}

type Select<R> = (
  db: Kysely<Database>,
  accountId: string,
  bounds: PageBounds,
  windows: ListWindows,
  today: string,
) => Compilable<R>;

/** Which filters a page's statement has, and how many root domains a limited token names. */
const shapeOf = (b: PageBounds) =>
  `${b.domainId !== undefined} ${b.prefix !== undefined} ${b.after !== undefined} ${b.roots?.length ?? 'all'}`;

/**
 * A page statement `select` builds, built and compiled by Kysely once per shape (which filters
 * it has) and dialect, then bound with each page's values (src/store/compiled-once.ts; on
 * PostgreSQL a named prepared statement). Building a page's statement anew took 65–120 µs and
 * about 60 kB of short-lived objects a request, a page of one as much as a page of 100: young-
 * generation garbage that brings on the collections a page's p99 meets.
 */
export function pageStatements<R>(
  select: Select<R>,
): (
  db: Kysely<Database>,
  accountId: string,
  bounds: PageBounds,
  windows: ListWindows,
  today: string,
) => Promise<R[]> {
  const statements = new Map<string, ReturnType<typeof compile<R>>>();
  return (db, accountId, bounds, windows, today) => {
    const shape = shapeOf(bounds);
    let statement = statements.get(shape);
    if (!statement) {
      statement = compile(select, bounds);
      statements.set(shape, statement);
    }
    return statement(
      db,
      accountId,
      bounds.domainId,
      bounds.prefix?.from,
      bounds.prefix?.to,
      bounds.after,
      bounds.rows,
      windows.day,
      windows.hourSince,
      today,
      ...(bounds.roots ?? []),
    );
  };
}

/** The statement of `shape`'s filters, each value a placeholder bound at every run. */
const compile = <R>(select: Select<R>, shape: PageBounds) =>
  compiledOnce(
    (
      db: Kysely<Database>,
      accountId: string,
      domainId: string | undefined,
      from: string | undefined,
      to: string | undefined,
      after: string | undefined,
      rows: number,
      day: string,
      hourSince: string,
      today: string,
      ...roots: string[]
    ) =>
      select(
        db,
        accountId,
        {
          domainId: shape.domainId === undefined ? undefined : domainId,
          prefix: shape.prefix && { from: from!, to: to! },
          after: shape.after === undefined ? undefined : after,
          rows,
          roots: shape.roots ? roots : shape.roots,
        },
        { day, hourSince },
        today,
      ),
  );
