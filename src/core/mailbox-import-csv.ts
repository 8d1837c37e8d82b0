import { CsvError, parse } from 'csv-parse/sync';
import { fail, ok, type Checked } from './errors.js';
import { checkQuotaMb } from './quota.js';

export interface ImportRow {
  /** 1-based line of the file where the row starts; the header is line 1. */
  line: number;
  name: string;
  localPart: string;
  domain: string;
  quotaMb?: number;
}

export interface ImportRowError {
  line: number;
  code: string;
  message: string;
}

const REQUIRED_COLUMNS = ['name', 'local_part', 'domain'] as const;
const COLUMNS = [...REQUIRED_COLUMNS, 'quota_mb'] as const;
type ImportColumn = (typeof COLUMNS)[number];

const EXPECTED_HEADER = `The first line must be the header ${COLUMNS.join(',')} (columns in any order; quota_mb may be left out).`;

const BLANK_HINTS: Record<(typeof REQUIRED_COLUMNS)[number], string> = {
  name: "Enter the person's first and last name in the name column, like Josh Smith.",
  local_part: 'Enter the part before the @ in the local_part column, for example josh.smith.',
  domain: 'Enter the domain in the domain column, for example example.com.',
};

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Mailboxes to create from a CSV upload. Only the shape of each row is checked here; rows
 * that pass still go through the name and local-part rules. Problems with single rows are
 * collected rather than failing the file, so one upload reports every bad row at once.
 */
export function parseMailboxImport(
  text: string,
  maxRows: number,
): Checked<{ rows: ImportRow[]; errors: ImportRowError[] }> {
  let records: ParsedRecord[];
  try {
    // csv-parse counts both halves of a CRLF inside a quoted cell as line breaks, so line
    // numbers are only right with LF alone.
    records = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // Spreadsheets export rows of empty cells below the data.
      skip_records_with_empty_values: true,
      relax_column_count: false,
      info: true,
      // The header, the most rows allowed and one more to tell that the file has too many:
      // a file of any length costs no more than that.
      to: maxRows + 2,
    }) as unknown as ParsedRecord[]; // `info: true` wraps each record, which the types miss.
  } catch (error) {
    if (error instanceof CsvError) return fail('malformed_csv', malformedMessage(error));
    throw error;
  }

  const [header, ...data] = records;
  if (!header) return fail('empty_import', `The file is empty. ${EXPECTED_HEADER}`);
  const columns = readHeader(header.record);
  if (!columns.ok) return columns;
  if (data.length === 0) {
    return fail(
      'empty_import',
      'The file has a header but no mailboxes: add one line per mailbox.',
    );
  }
  if (data.length > maxRows) {
    return fail(
      'too_many_rows',
      `The file has more than ${maxRows} mailboxes; import at most ${maxRows} at a time by splitting it into several files.`,
    );
  }

  const rows: ImportRow[] = [];
  const errors: ImportRowError[] = [];
  for (const { record, info } of data) {
    const line = startLine(record, info.lines);
    const cell = (column: ImportColumn) => {
      const index = columns.value.get(column);
      return index === undefined ? '' : (record[index] ?? '');
    };
    const rowErrors: ImportRowError[] = REQUIRED_COLUMNS.filter(
      (column) => cell(column) === '',
    ).map((column) => ({ line, code: 'required', message: BLANK_HINTS[column] }));
    const quota = readQuota(cell('quota_mb'));
    if (!quota.ok) rowErrors.push({ line, code: quota.code, message: quota.message });
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({
      line,
      name: cell('name'),
      localPart: cell('local_part'),
      domain: cell('domain'),
      ...(quota.ok && quota.value !== undefined ? { quotaMb: quota.value } : {}),
    });
  }
  return ok({ rows, errors });
}

/** Index of each column, or why the header is not the expected one. */
function readHeader(cells: string[]): Checked<Map<ImportColumn, number>> {
  const indexes = new Map<ImportColumn, number>();
  for (const [index, cell] of cells.entries()) {
    const column = COLUMNS.find((known) => known === cell.toLowerCase());
    if (!column) {
      const what = cell === '' ? 'an unnamed column' : `the unknown column "${cell}"`;
      return fail('invalid_header', `Remove ${what}. ${EXPECTED_HEADER}`);
    }
    if (indexes.has(column)) {
      return fail('invalid_header', `Keep only one ${column} column. ${EXPECTED_HEADER}`);
    }
    indexes.set(column, index);
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !indexes.has(column));
  if (missing.length > 0) {
    const columns = missing.length === 1 ? 'column' : 'columns';
    return fail('invalid_header', `Add the ${columns} ${missing.join(', ')}. ${EXPECTED_HEADER}`);
  }
  return ok(indexes);
}

/** A blank cell leaves the quota to the caller's default. */
function readQuota(cell: string): Checked<number | undefined> {
  if (cell === '') return ok(undefined);
  // Number() would also take "1e3", " 0x10" or "12.0".
  return checkQuotaMb(/^\d+$/.test(cell) ? Number(cell) : NaN);
}

/** `endLine` is where the record ends; line breaks inside quoted cells push it past the start. */
function startLine(record: string[], endLine: number): number {
  return endLine - record.reduce((breaks, cell) => breaks + cell.split('\n').length - 1, 0);
}

function malformedMessage(error: CsvError): string {
  const line = Number(error.lines);
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    return `Line ${line} has a different number of cells than the header: give every line one cell per column, and put a cell that contains a comma in double quotes, like "Smith, Josh".`;
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return `A double quote opened on or before line ${line} is never closed: add the closing " after the cell's text.`;
  }
  return `Line ${line} has a misplaced double quote: a quoted cell must start and end with ", and a " inside it must be written twice, like "Josh ""JJ"" Smith".`;
}
