import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * One step of the schema: every migration has this shape, and the dialect comes in as an
 * argument so a step that differs between SQLite and PostgreSQL says so where it differs.
 * Steps only go up: a database is never migrated down, so there is no `down` to keep right.
 */
export interface SchemaMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}
