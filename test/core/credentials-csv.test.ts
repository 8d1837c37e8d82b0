import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialsColumns, credentialsCsv } from '../../src/core/credentials-csv.js';
import { CREDENTIALS_FORMATS } from '../../src/core/credentials-formats.js';

const server = {
  imapHost: 'imap.example.com',
  imapPort: 993,
  smtpHost: 'smtp.example.com',
  smtpPort: 465,
};
const HEADER =
  'email,password,name,first_name,last_name,imap_host,imap_port,imap_username,smtp_host,smtp_port,smtp_username,daily_limit,warmup_start,warmup_increment,warmup_max';

const rowFor = (name: string, password = 'Xq7pL2mN9vR4') =>
  credentialsCsv([{ email: 'josh@example.com', password, name }], server);

describe('credentialsCsv', () => {
  it('writes a header and one line per mailbox with CRLF line ends', () => {
    expect(rowFor('Josh Smith')).toBe(
      `${HEADER}\r\n` +
        'josh@example.com,Xq7pL2mN9vR4,Josh Smith,Josh,Smith,imap.example.com,993,josh@example.com,smtp.example.com,465,josh@example.com,,,,\r\n',
    );
  });

  it('exports the column names of the header', () => {
    expect(credentialsColumns('generic').join(',')).toBe(HEADER);
  });

  it('writes only the header for no mailboxes', () => {
    expect(credentialsCsv([], server)).toBe(`${HEADER}\r\n`);
  });

  it('splits the name at its first space', () => {
    const [, record] = parse(rowFor('Mary Ann Smith-Jones'));
    expect(record?.slice(2, 5)).toEqual(['Mary Ann Smith-Jones', 'Mary', 'Ann Smith-Jones']);
    const [, single] = parse(rowFor('Madonna'));
    expect(single?.slice(2, 5)).toEqual(['Madonna', 'Madonna', '']);
  });

  it('quotes cells holding a comma, a quote or a line break', () => {
    const csv = rowFor('Smith, "JJ"\nJosh');
    expect(csv).toContain(',"Smith, ""JJ""\nJosh","Smith,","""JJ""\nJosh",');
    const [, record] = parse(csv);
    expect(record?.[2]).toBe('Smith, "JJ"\nJosh');
  });

  it.each(['=HYPERLINK("http://evil")', '+1', '-Josh Smith', '@SUM(A1)', '\tJosh', '\rJosh'])(
    'defuses the formula %j in the name',
    (name) => {
      const [, record] = parse(rowFor(name));
      expect(record?.[2]).toBe(`'${name}`);
      expect(record?.[3]?.startsWith("'")).toBe(true);
    },
  );

  it('never alters a login: the email and the IMAP/SMTP usernames stay as they are', () => {
    const [, record] = parse(
      credentialsCsv([{ email: '-bo@example.com', password: 'x', name: 'Bo Berg' }], server),
    );
    expect(record?.[0]).toBe('-bo@example.com');
    expect(record?.[7]).toBe('-bo@example.com');
    expect(record?.[10]).toBe('-bo@example.com');
  });

  it('never alters the password', () => {
    const [, record] = parse(rowFor('Josh Smith', '=1+2'));
    expect(record?.[1]).toBe('=1+2');
  });
});

/**
 * The same three mailboxes in every format: a plain name warming up, one with a comma and no
 * warm-up, one like a formula whose mailbox is gone (no policy: the tool's defaults).
 */
const FLEET = [
  {
    email: 'josh@example.com',
    password: 'Xq7pL2mN9vR4',
    name: 'Josh Smith',
    sending: { dailyLimit: 25, warmup: { start: 20, increment: 5, max: 40 } },
  },
  {
    email: 'mary@example.com',
    password: 'Ab3dEf6hJk9m',
    name: 'Mary Ann Smith-Jones, Jr.',
    sending: { dailyLimit: 500, warmup: null },
  },
  { email: 'bo@example.com', password: 'Zz9Yy8Xx7Ww6', name: '=HYPERLINK("x")' },
];

describe('credentials formats', () => {
  it.each(CREDENTIALS_FORMATS)('writes %s as its golden file', (format) => {
    const golden = readFileSync(
      new URL(`golden/credentials-${format}.csv`, import.meta.url),
      'utf8',
    );
    expect(credentialsCsv(FLEET, server, format)).toBe(golden);
  });

  it('defaults to the generic format', () => {
    expect(credentialsCsv(FLEET, server)).toBe(credentialsCsv(FLEET, server, 'generic'));
  });

  it('never lets a name that reads as a formula reach a cell unescaped, in any format or policy', () => {
    const formulaStart = /^[=+\-@\t\r]/;
    fc.assert(
      fc.property(
        fc.constantFrom(...CREDENTIALS_FORMATS),
        fc.string(),
        fc.constantFrom('=', '+', '-', '@', '\t', '\r', ''),
        fc.option(
          fc.record({
            dailyLimit: fc.nat(),
            warmup: fc.option(fc.record({ start: fc.nat(), increment: fc.nat(), max: fc.nat() })),
          }),
        ),
        (format, rest, start, sending) => {
          const csv = credentialsCsv(
            [
              {
                email: 'josh@example.com',
                password: 'Xq7pL2mN9vR4',
                name: `${start}${rest}`,
                sending,
              },
            ],
            server,
            format,
          );
          const rows = parse(csv, { relax_column_count: false }) as string[][];
          for (const cell of rows[1]!) expect(cell).not.toMatch(formulaStart);
        },
      ),
    );
  });
});
