/** Rows per INSERT: far below SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 200;
/**
 * Values per `IN (…)` list: one bound parameter each, far below SQLite's 32,766 and
 * PostgreSQL's 65,535, so no list a caller passes can make a query fail.
 */
const IN_CHUNK = 500;

function slices<T>(values: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}

/** `rows` in slices of at most INSERT_CHUNK, one multi-row INSERT each; none when empty. */
export const insertChunks = <T>(rows: T[]): T[][] => slices(rows, INSERT_CHUNK);

/** Distinct `values` in slices of at most IN_CHUNK, one `IN (…)` query each; none when empty. */
export const inChunks = <T>(values: T[]): T[][] => slices([...new Set(values)], IN_CHUNK);
