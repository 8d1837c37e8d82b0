import { stringify } from 'csv-stringify/sync';

/**
 * Column names the cold-email sending tools (Instantly, Smartlead and the like) map without
 * manual matching when a list of mailboxes is imported.
 */
export const CREDENTIALS_COLUMNS = [
  'email',
  'password',
  'name',
  'first_name',
  'last_name',
  'imap_host',
  'imap_port',
  'imap_username',
  'smtp_host',
  'smtp_port',
  'smtp_username',
] as const;

export interface CredentialsRow {
  email: string;
  password: string;
  name: string;
}

export interface MailServer {
  imapHost: string;
  imapPort: number;
  smtpHost: string;
  smtpPort: number;
}

type Column = (typeof CREDENTIALS_COLUMNS)[number];

// A spreadsheet runs a cell starting with one of these as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The only cells a leading ' may be added to: a person's name is free text. Every other cell is
 * a login (address, password, username) or a server setting, where an added ' breaks the login.
 * Logins never start like a formula anyway: a local part starts with a letter, digit or
 * underscore (core/local-part.ts) and generated passwords are alphanumeric.
 */
const FREE_TEXT = new Set<Column>(['name', 'first_name', 'last_name']);

/** Mailbox logins as CSV with a header row and CRLF line ends (RFC 4180). */
export function credentialsCsv(rows: CredentialsRow[], server: MailServer): string {
  const records = rows.map(({ email, password, name }) => {
    const space = name.indexOf(' ');
    const record: Record<Column, string> = {
      email,
      password,
      name,
      first_name: space === -1 ? name : name.slice(0, space),
      last_name: space === -1 ? '' : name.slice(space + 1),
      imap_host: server.imapHost,
      imap_port: String(server.imapPort),
      imap_username: email,
      smtp_host: server.smtpHost,
      smtp_port: String(server.smtpPort),
      smtp_username: email,
    };
    return CREDENTIALS_COLUMNS.map((column) =>
      FREE_TEXT.has(column) ? defuseFormula(record[column]) : record[column],
    );
  });
  return stringify([[...CREDENTIALS_COLUMNS], ...records], {
    record_delimiter: 'windows',
    // With CRLF as the record delimiter, csv-stringify would leave a lone CR or LF unquoted.
    quote_record_delimiter: true,
  });
}

function defuseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
