import { describe, expect, it } from 'vitest';
import { parseMailboxImport } from '../../src/core/mailbox-import-csv.js';
import { expectFailure, expectValue } from './expect-checked.js';

const HEADER = 'name,local_part,domain,quota_mb';

describe('parseMailboxImport', () => {
  it('reads quoted cells, a BOM, CRLF, any column order and any header case', () => {
    const text = [
      '\uFEFFDomain, NAME ,Local_Part,quota_mb',
      'example.com,"Smith, Josh",josh,',
      '',
      '"example.com","Mary ""MJ""\r\nO\'Neil",mary,2048',
      'example.org,Anne Smith-Jones,anne,1024',
    ].join('\r\n');
    expect(expectValue(parseMailboxImport(text, 10))).toEqual({
      rows: [
        { line: 2, name: 'Smith, Josh', localPart: 'josh', domain: 'example.com' },
        {
          line: 4,
          name: 'Mary "MJ"\nO\'Neil',
          localPart: 'mary',
          domain: 'example.com',
          quotaMb: 2048,
        },
        {
          line: 6,
          name: 'Anne Smith-Jones',
          localPart: 'anne',
          domain: 'example.org',
          quotaMb: 1024,
        },
      ],
      errors: [],
    });
  });

  it('works without the quota_mb column', () => {
    expect(
      expectValue(parseMailboxImport('local_part,domain,name\njosh,example.com,Josh Smith', 1)),
    ).toEqual({
      rows: [{ line: 2, name: 'Josh Smith', localPart: 'josh', domain: 'example.com' }],
      errors: [],
    });
  });

  it('skips lines of blanks and empty cells', () => {
    const text = `${HEADER}\n,,,\n   \nJosh Smith,josh,example.com,\n\n`;
    expect(expectValue(parseMailboxImport(text, 1)).rows).toEqual([
      { line: 4, name: 'Josh Smith', localPart: 'josh', domain: 'example.com' },
    ]);
  });

  it('reports each blank required cell with its line and keeps the good rows', () => {
    const text = `${HEADER}\nJosh Smith,,example.com,\n,mary,,\nAnne Smith,anne,example.com,`;
    const { rows, errors } = expectValue(parseMailboxImport(text, 10));
    expect(rows.map((row) => row.line)).toEqual([4]);
    expect(errors).toEqual([
      { line: 2, code: 'required', message: expect.stringContaining('local_part column') },
      { line: 3, code: 'required', message: expect.stringContaining('name column') },
      { line: 3, code: 'required', message: expect.stringContaining('domain column') },
    ]);
  });

  it.each(['1.5', '1e3', 'lots', '-100', '5', '200000'])(
    'reports the quota %j as out of range',
    (quota) => {
      const { rows, errors } = expectValue(
        parseMailboxImport(`${HEADER}\nJosh Smith,josh,example.com,${quota}`, 10),
      );
      expect(rows).toEqual([]);
      expect(errors).toEqual([
        { line: 2, code: 'quota_out_of_range', message: expect.stringContaining('whole number') },
      ]);
    },
  );

  it.each([
    ['name,local_part', 'Add the column domain'],
    ['name', 'Add the columns local_part, domain'],
    ['name,local_part,domain,quota', 'Remove the unknown column "quota"'],
    ['name,local_part,domain,', 'Remove an unnamed column'],
    ['name,local_part,domain,Name', 'Keep only one name column'],
    ['Josh Smith,josh,example.com', 'Remove the unknown column "Josh Smith"'],
  ])('rejects the header %j', (header, hint) => {
    const checked = parseMailboxImport(`${header}\n${header}`, 10);
    expectFailure(checked, 'invalid_header', hint);
    expectFailure(checked, 'invalid_header', `header ${HEADER}`);
  });

  it.each([
    [`${HEADER}\nJosh Smith,josh,example.com\n`, 'Line 2 has a different number of cells'],
    [`${HEADER}\n"Josh Smith,josh,example.com,\n\n`, 'opened on or before line 3 is never closed'],
    [`${HEADER}\nJosh "JJ" Smith,josh,example.com,\n`, 'Line 2 has a misplaced double quote'],
    [`${HEADER}\r\n"A\r\nB",x,y,\r\n"Josh" Smith,josh,example.com,\r\n`, 'Line 4 has a misplaced'],
  ])('rejects malformed CSV and names the line: %j', (text, hint) => {
    expectFailure(parseMailboxImport(text, 10), 'malformed_csv', hint);
  });

  it.each(['', '\uFEFF', '\n\n'])('rejects the empty file %j', (text) => {
    expectFailure(parseMailboxImport(text, 10), 'empty_import', `header ${HEADER}`);
  });

  it('rejects a header without mailboxes', () => {
    expectFailure(
      parseMailboxImport(`${HEADER}\n,,,\n`, 10),
      'empty_import',
      'add one line per mailbox',
    );
  });

  it('rejects more rows than allowed, counting rows with errors', () => {
    const text = `${HEADER}\nJosh Smith,josh,example.com,\n,,example.com,\nMary Smith,mary,example.com,`;
    expectFailure(parseMailboxImport(text, 2), 'too_many_rows', 'at most 2 at a time');
    expect(parseMailboxImport(text, 3).ok).toBe(true);
  });
});
