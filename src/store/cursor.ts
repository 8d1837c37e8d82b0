import { controlCharacterIn } from '../core/control-characters.js';
import { ValidationError } from '../core/errors.js';

/**
 * Keyset pagination cursors: the sort key of the last row returned, opaque to clients so the
 * key can change without breaking them. Only the sort key goes in; never an id of another table.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  isKey: (key: string) => boolean = () => true,
): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  // A key never holds a control character: `AA` decodes to U+0000, which PostgreSQL cannot compare.
  if (!key || controlCharacterIn(key) || encodeCursor(key) !== cursor || !isKey(key)) {
    throw new ValidationError(
      'cursor',
      'invalid_cursor',
      'This cursor is not valid: pass the nextCursor value of the previous page unchanged.',
    );
  }
  return key;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Callers fetch `limit + 1` rows; the extra one only tells whether another page exists. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}

/** Smallest string greater than every string starting with `prefix`, for index range scans. */
export function prefixUpperBound(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1);
  if (last === undefined) return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}
