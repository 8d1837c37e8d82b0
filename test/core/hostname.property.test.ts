import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkConvertedHostname,
  checkHostname,
  checkRootDomain,
  type Hostname,
} from '../../src/core/hostname.js';
import type { Checked } from '../../src/core/errors.js';

const RUNS = 2000;

// Pieces that reach the IDN, length, hyphen and suffix paths far more often than random text.
const hostPiece = fc.constantFrom(
  'a',
  'z',
  'E',
  '0',
  '9',
  '-',
  '.',
  '..',
  'xn--',
  'bücher',
  'ü',
  'ß',
  'İ',
  '例え',
  'ﬁ',
  '２',
  '٣',
  'co',
  'uk',
  'com',
  'github',
  'io',
  'www',
  '_',
  ' ',
  ':',
  '/',
  '@',
  '\u200d',
  '\u00ad',
  '☃',
  'Ⅻ',
);
const hostLike = fc.array(hostPiece, { maxLength: 24 }).map((pieces) => pieces.join(''));
// Mostly valid labels (ASCII, Unicode, A-label prefixes, mapped characters) under real suffixes,
// so accepted names, with their round trips, are common.
const labelPiece = fc.constantFrom(
  'a',
  'E',
  '0',
  '-',
  'xn--',
  'bücher',
  'ü',
  'ß',
  'İ',
  '例え',
  'ﬁ',
  '２',
  '٣',
  'www',
);
const idnLike = fc
  .tuple(
    fc.array(fc.array(labelPiece, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('com', 'de', 'co.uk', 'jp', 'github.io', 'xn--j6w193g', '香港'),
  )
  .map(([labels, suffix]) => [...labels.map((pieces) => pieces.join('')), suffix].join('.'));
const longLabels = fc
  .array(fc.string({ unit: fc.constantFrom('a', 'ü', '-'), minLength: 1, maxLength: 80 }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((labels) => `${labels.join('.')}.com`);

const inputs = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.domain(),
  fc.domain().map((domain) => domain.toUpperCase()),
  fc.webUrl(),
  hostLike,
  idnLike,
  longLabels,
);

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

function expectWellFormed(
  checked: Checked<Hostname>,
  check: (input: string) => Checked<Hostname>,
): void {
  if (!checked.ok) return;
  const { name, unicodeName } = checked.value;
  expect(name).toMatch(/^[a-z0-9.-]+$/);
  expect(name.length).toBeLessThanOrEqual(253);
  for (const label of name.split('.')) {
    expect(label.length).toBeGreaterThanOrEqual(1);
    expect(label.length).toBeLessThanOrEqual(63);
    expect(label).toMatch(LDH_LABEL);
  }
  expect(check(name)).toEqual(checked);
  expect(check(unicodeName)).toEqual(checked);
}

describe.each([
  ['checkHostname', checkHostname],
  ['checkRootDomain', checkRootDomain],
])('%s on arbitrary input', (_, check) => {
  it('never throws and returns ok or a code with a message', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const checked = check(input);
        if (!checked.ok) {
          expect(checked.code).toMatch(/^[a-z_]+$/);
          expect(checked.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('returns a lowercase LDH name within DNS limits that checks back to itself', () => {
    fc.assert(
      fc.property(inputs, (input) => expectWellFormed(check(input), check)),
      { numRuns: RUNS },
    );
  });
});

describe('checkHostname on generated domains', () => {
  it('accepts every generated domain that stays within DNS limits', () => {
    fc.assert(
      fc.property(fc.domain(), (domain) => {
        const valid = domain.length <= 253 && domain.includes('.') && !/(^|\.)[0-9]+$/.test(domain);
        if (valid)
          expect(checkHostname(domain)).toMatchObject({
            ok: true,
            value: { name: domain.toLowerCase() },
          });
      }),
      { numRuns: RUNS },
    );
  });
});

// Plain names and their near misses: the shortcut's edges (A-label prefixes, numeric endings,
// hyphens at label edges, empty labels, long labels, upper case, spaces and trailing dots).
const plainPiece = fc.constantFrom(
  'a',
  'q',
  'Z',
  '0',
  '7',
  '-',
  '--',
  '.',
  'xn--',
  'XN--',
  '0x',
  'ff',
  'com',
  ' ',
  'a'.repeat(63),
);
const plainLike = fc.array(plainPiece, { maxLength: 16 }).map((pieces) => pieces.join(''));

describe('checkHostname shortcut for plain names', () => {
  it('answers every input exactly as the conversion path does', () => {
    fc.assert(
      fc.property(fc.oneof(inputs, plainLike), (input) => {
        expect(checkHostname(input)).toEqual(checkConvertedHostname(input));
      }),
      { numRuns: RUNS * 5 },
    );
  });
});
