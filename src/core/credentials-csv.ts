import { stringify } from 'csv-stringify/sync';
import { DEFAULT_CREDENTIALS_FORMAT, type CredentialsFormat } from './credentials-formats.js';

export interface CredentialsRow {
  email: string;
  password: string;
  name: string;
  /** The mailbox's sending limits when downloaded; absent (the tool's defaults) once it is gone. */
  sending?: ExportedSending | null;
}

/**
 * What a sending tool is told of a mailbox's policy (core/sending.ts): the allowance Mailwright
 * enforces on the day of the download (`limitToday`, so a tool never plans more than the mail
 * plane lets through) and the warm-up ramp it climbs from there.
 */
export interface ExportedSending {
  dailyLimit: number;
  warmup: { start: number; increment: number; max: number } | null;
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
  smtpSecure: string;
  imapSecure: string;
  dailyLimit: string;
  warmupEnabled: string;
  warmupStart: string;
  warmupIncrement: string;
  warmupMax: string;
}

interface Column {
  header: string;
  cell: (c: Cells) => string;
  /**
   * A person's name: the only cells a leading ' may be added to. Every other cell is a login
   * (address, password, username) or a server setting, where an added ' breaks the login.
   * Logins never start like a formula anyway: a local part starts with a letter, digit or
   * underscore (core/local-part.ts), generated passwords are alphanumeric, and a password typed
   * for a bulk job is refused when it starts like one (checkDownloadedPasswordChoice).
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
 * bulk CSV upload uses as headers. EmailBison: the headers of its bulk "Add sender emails" CSV.
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
    col('daily_limit', (c) => c.dailyLimit),
    col('warmup_start', (c) => c.warmupStart),
    col('warmup_increment', (c) => c.warmupIncrement),
    col('warmup_max', (c) => c.warmupMax),
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
    col('Daily Limit', (c) => c.dailyLimit),
    col('Warmup Enabled', (c) => c.warmupEnabled),
    col('Warmup Limit', (c) => c.warmupMax),
    col('Warmup Increment', (c) => c.warmupIncrement),
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
    col('max_email_per_day', (c) => c.dailyLimit),
    toolDefault('custom_tracking_url'),
    col('warmup_enabled', (c) => c.warmupEnabled),
    col('total_warmup_per_day', (c) => c.warmupMax),
    col('daily_rampup', (c) => c.warmupIncrement),
    toolDefault('reply_rate_percentage'),
    toolDefault('bcc'),
    toolDefault('signature'),
    toolDefault('different_reply_to_address'),
    col('imap_user_name', (c) => c.email),
    col('imap_password', (c) => c.password),
  ],
  emailbison: [
    name('Name', (c) => c.name),
    col('Email', (c) => c.email),
    col('Password', (c) => c.password),
    col('IMAP Server', (c) => c.imapHost),
    col('IMAP Port', (c) => c.imapPort),
    col('SMTP Server', (c) => c.smtpHost),
    col('SMTP Port', (c) => c.smtpPort),
    col('Daily Limit', (c) => c.dailyLimit),
    col('SMTP Secure', (c) => c.smtpSecure),
    col('IMAP Secure', (c) => c.imapSecure),
  ],
};

/**
 * Whether a client opens the connection with TLS (nodemailer's `secure`, which these tools
 * copy): yes on the implicit-TLS ports, no on 587 and 143, where it upgrades with STARTTLS.
 */
const IMPLICIT_TLS_PORTS = new Set([465, 993]);
const secure = (port: number): string => String(IMPLICIT_TLS_PORTS.has(port));

/** The policy cells of a mailbox; empty ones (no policy, no warm-up) leave the tool's default. */
function sendingCells(sending: ExportedSending | null | undefined) {
  const warmup = sending?.warmup;
  return {
    dailyLimit: sending ? String(sending.dailyLimit) : '',
    warmupEnabled: sending ? (warmup ? 'TRUE' : 'FALSE') : '',
    warmupStart: warmup ? String(warmup.start) : '',
    warmupIncrement: warmup ? String(warmup.increment) : '',
    warmupMax: warmup ? String(warmup.max) : '',
  };
}

/** The header row of a format. */
export const credentialsColumns = (format: CredentialsFormat): string[] =>
  FORMATS[format].map((c) => c.header);

// A spreadsheet runs a cell starting with one of these as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet would run as a formula when the CSV is opened. */
export const startsLikeFormula = (cell: string): boolean => FORMULA_START.test(cell);

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
      smtpSecure: secure(server.smtpPort),
      imapSecure: secure(server.imapPort),
      ...sendingCells(row.sending),
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
  return startsLikeFormula(cell) ? `'${cell}` : cell;
}
