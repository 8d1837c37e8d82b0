import { stringify } from 'csv-stringify/sync';
import { DEFAULT_CREDENTIALS_FORMAT, type CredentialsFormat } from './credentials-formats.js';

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

/** What a column can be made of: one mailbox's login and the servers it connects to. */
interface Cells extends CredentialsRow {
  firstName: string;
  lastName: string;
  imapHost: string;
  imapPort: string;
  smtpHost: string;
  smtpPort: string;
}

interface Column {
  header: string;
  cell: (c: Cells) => string;
  /**
   * A person's name: the only cells a leading ' may be added to. Every other cell is a login
   * (address, password, username) or a server setting, where an added ' breaks the login.
   * Logins never start like a formula anyway: a local part starts with a letter, digit or
   * underscore (core/local-part.ts) and generated passwords are alphanumeric.
   */
  freeText?: true;
}

const col = (header: string, cell: (c: Cells) => string): Column => ({ header, cell });
const name = (header: string, cell: (c: Cells) => string): Column => ({
  header,
  cell,
  freeText: true,
});
/** A setting the tool applies its own default to when the cell is empty (limits, warm-up). */
const toolDefault = (header: string): Column => ({ header, cell: () => '' });

/**
 * One line per column, so a header a tool renames is a one-line correction. Instantly: its
 * bulk "Import accounts" file, whose fields are those of its API v2 account (email, first and
 * last name, IMAP and SMTP username, password, host, port; daily and warm-up limits).
 * Smartlead: the fields of its SMTP account (`POST /api/v1/email-accounts/save`), which its
 * bulk CSV upload uses as headers.
 */
const FORMATS: Record<CredentialsFormat, readonly Column[]> = {
  generic: [
    col('email', (c) => c.email),
    col('password', (c) => c.password),
    name('name', (c) => c.name),
    name('first_name', (c) => c.firstName),
    name('last_name', (c) => c.lastName),
    col('imap_host', (c) => c.imapHost),
    col('imap_port', (c) => c.imapPort),
    col('imap_username', (c) => c.email),
    col('smtp_host', (c) => c.smtpHost),
    col('smtp_port', (c) => c.smtpPort),
    col('smtp_username', (c) => c.email),
  ],
  instantly: [
    col('Email', (c) => c.email),
    name('First Name', (c) => c.firstName),
    name('Last Name', (c) => c.lastName),
    col('IMAP Username', (c) => c.email),
    col('IMAP Password', (c) => c.password),
    col('IMAP Host', (c) => c.imapHost),
    col('IMAP Port', (c) => c.imapPort),
    col('SMTP Username', (c) => c.email),
    col('SMTP Password', (c) => c.password),
    col('SMTP Host', (c) => c.smtpHost),
    col('SMTP Port', (c) => c.smtpPort),
    toolDefault('Daily Limit'),
    toolDefault('Warmup Enabled'),
    toolDefault('Warmup Limit'),
    toolDefault('Warmup Increment'),
  ],
  smartlead: [
    name('from_name', (c) => c.name),
    col('from_email', (c) => c.email),
    col('user_name', (c) => c.email),
    col('password', (c) => c.password),
    col('smtp_host', (c) => c.smtpHost),
    col('smtp_port', (c) => c.smtpPort),
    col('imap_host', (c) => c.imapHost),
    col('imap_port', (c) => c.imapPort),
    toolDefault('max_email_per_day'),
    toolDefault('custom_tracking_url'),
    toolDefault('warmup_enabled'),
    toolDefault('total_warmup_per_day'),
    toolDefault('daily_rampup'),
    toolDefault('reply_rate_percentage'),
    toolDefault('bcc'),
    toolDefault('signature'),
    toolDefault('different_reply_to_address'),
    col('imap_user_name', (c) => c.email),
    col('imap_password', (c) => c.password),
  ],
};

/** The header row of a format. */
export const credentialsColumns = (format: CredentialsFormat): string[] =>
  FORMATS[format].map((c) => c.header);

// A spreadsheet runs a cell starting with one of these as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Mailbox logins as CSV in `format`, with a header row and CRLF line ends (RFC 4180). */
export function credentialsCsv(
  rows: CredentialsRow[],
  server: MailServer,
  format: CredentialsFormat = DEFAULT_CREDENTIALS_FORMAT,
): string {
  const columns = FORMATS[format];
  const records = rows.map((row) => {
    const space = row.name.indexOf(' ');
    const cells: Cells = {
      ...row,
      firstName: space === -1 ? row.name : row.name.slice(0, space),
      lastName: space === -1 ? '' : row.name.slice(space + 1),
      imapHost: server.imapHost,
      imapPort: String(server.imapPort),
      smtpHost: server.smtpHost,
      smtpPort: String(server.smtpPort),
    };
    return columns.map((c) => (c.freeText ? defuseFormula(c.cell(cells)) : c.cell(cells)));
  });
  return stringify([credentialsColumns(format), ...records], {
    record_delimiter: 'windows',
    // With CRLF as the record delimiter, csv-stringify would leave a lone CR or LF unquoted.
    quote_record_delimiter: true,
  });
}

function defuseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
