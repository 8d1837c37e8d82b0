import { PostgresAdapter, type Kysely } from 'kysely';

/** The SQL databases Mailwright runs on; migrations and the mail servers' queries differ by it. */
export type Dialect = 'sqlite' | 'postgres';

/** The dialect a connection (or a transaction on it) speaks, read off its adapter. */
export const dialectOf = <DB>(db: Kysely<DB>): Dialect =>
  db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
