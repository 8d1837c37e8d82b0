import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_PATTERNS,
  addressCandidates,
  transliterateName,
} from '../../src/core/address-candidates.js';
import { checkLocalPart } from '../../src/core/local-part.js';
import { checkPersonName } from '../../src/core/person-name.js';

describe('addressCandidates', () => {
  it('offers the common conventions first, in a fixed order', () => {
    expect(addressCandidates('Josh Smith').slice(0, 12)).toEqual([
      'josh',
      'josh.smith',
      'jsmith',
      'joshsmith',
      'j.smith',
      'smith.josh',
      'joshs',
      'josh.s',
      'smith',
      'josh_smith',
      'josh-smith',
      'smithj',
    ]);
  });

  it('ends a two-word name with the reversed and separated forms', () => {
    expect(addressCandidates('Josh Smith').slice(12)).toEqual([
      'smith.j',
      'smithjosh',
      'j_smith',
      'j-smith',
      'smith_josh',
      'smith-josh',
    ]);
  });

  it('transliterates accents', () => {
    expect(addressCandidates('José Núñez').slice(0, 3)).toEqual(['jose', 'jose.nunez', 'jnunez']);
  });

  it.each(['Zhang Wei', '张 伟'])('gives ASCII addresses for %s', (name) => {
    expect(addressCandidates(name).slice(0, 3)).toEqual(['zhang', 'zhang.wei', 'zwei']);
  });

  it('joins a multi-syllable word written without spaces', () => {
    expect(addressCandidates('王 小明')).toContain('wang.xiaoming');
  });

  it('transliterates Cyrillic', () => {
    expect(addressCandidates('Владимир Петров').slice(0, 2)).toEqual([
      'vladimir',
      'vladimir.petrov',
    ]);
  });

  it('drops apostrophes and spells a hyphenated first name joined and hyphenated', () => {
    const candidates = addressCandidates("Mary-Jane O'Neil");
    expect(candidates.slice(0, 4)).toEqual([
      'maryjane',
      'mary-jane',
      'maryjane.oneil',
      'mary-jane.oneil',
    ]);
    expect(candidates).toContain('moneil');
    expect(candidates).not.toContain('mary-jane-oneil');
  });

  it('treats a typographic apostrophe like a straight one', () => {
    expect(addressCandidates('Mary O’Neil')).toEqual(addressCandidates("Mary O'Neil"));
  });

  it('spells a double-barrelled surname joined, then hyphenated, then by its first barrel', () => {
    const candidates = addressCandidates('Anne Smith-Jones');
    expect(candidates.slice(0, 5)).toEqual([
      'anne',
      'anne.smithjones',
      'anne.smith-jones',
      'asmithjones',
      'asmith-jones',
    ]);
    expect(candidates).toContain('anne-smithjones');
    expect(candidates).not.toContain('anne-smith-jones');
    const lastFullSurname = candidates.indexOf('smithjones-anne');
    expect(candidates.indexOf('anne.smith')).toBeGreaterThan(lastFullSurname);
    expect(candidates.indexOf('smith')).toBeGreaterThan(lastFullSurname);
  });

  it('adds middle initials after the two-word forms, never initials alone', () => {
    const candidates = addressCandidates('Mary Ann Smith');
    expect(candidates.slice(-4)).toEqual(['mary.a.smith', 'masmith', 'maryasmith', 'm.a.smith']);
    expect(candidates).not.toContain('mas');
  });

  it('uses single letters as initials only', () => {
    expect(addressCandidates('J. R. Tolkien')).toEqual([
      'jtolkien',
      'j.tolkien',
      'tolkien',
      'tolkienj',
      'tolkien.j',
      'j_tolkien',
      'j-tolkien',
      'jrtolkien',
      'j.r.tolkien',
    ]);
    expect(addressCandidates('J.R. Tolkien')).toEqual(addressCandidates('J. R. Tolkien'));
    expect(addressCandidates('Josh S.')).toEqual(['josh', 'joshs', 'josh.s']);
  });

  it('skips words that transliterate to nothing', () => {
    expect(addressCandidates('Josh - Smith')).toEqual(addressCandidates('Josh Smith'));
  });

  it('returns nothing when no word can be spelled in a–z', () => {
    expect(addressCandidates('😀 😀')).toEqual([]);
    expect(addressCandidates('A B')).toEqual([]);
  });

  it('skips addresses longer than 64 characters', () => {
    // Twelve syllables of pinyin make a 60-letter surname.
    const surname = 'zhang'.repeat(12);
    const candidates = addressCandidates(`Josh ${'张'.repeat(12)}`);
    expect(candidates).toContain(`josh${surname}`);
    expect(candidates).toContain(`j.${surname}`);
    expect(candidates).not.toContain(`josh.${surname}`);
  });
});

describe('ADDRESS_PATTERNS', () => {
  it('joins known tokens with at most one kind of separator', () => {
    const token = String.raw`\{(?:first|f|m|last|l)\}`;
    const shape = new RegExp(String.raw`^${token}(?:([._-]?)${token}(?:\1${token})*)?$`);
    for (const pattern of ADDRESS_PATTERNS) expect(pattern).toMatch(shape);
  });
});

describe('transliterateName', () => {
  it.each([
    ['José Núñez', 'Jose Nunez'],
    ['张 伟', 'Zhang Wei'],
    ['Владимир Петров', 'Vladimir Petrov'],
    ["Mary-Jane O'Neil", "Mary-Jane O'Neil"],
  ])('spells %s as %s', (name, latin) => {
    expect(transliterateName(name)).toBe(latin);
  });
});

// Letters from several scripts, including ones transliteration turns into digits (Ƽ → 5) or
// into nothing, and the punctuation names may hold.
const namePiece = fc.constantFrom(
  'a',
  'Jo',
  'smith',
  'é',
  'ñ',
  'ß',
  'Ø',
  'İ',
  '张',
  '伟',
  '小明',
  'Вл',
  'ж',
  'ع',
  'ש',
  '김',
  'ꟿ',
  'Ƽ',
  'ƻ',
  '\u0301',
  '\u0488',
  ' ',
  '-',
  "'",
  '’',
  '.',
);
const acceptedNames = fc
  .array(namePiece, { minLength: 2, maxLength: 30 })
  .map((pieces) => checkPersonName(pieces.join('')))
  .filter((checked) => checked.ok)
  .map((checked) => (checked.ok ? checked.value : ''));

describe('addressCandidates on accepted names', () => {
  it('returns unique, valid, digit-free local parts and never throws', () => {
    fc.assert(
      fc.property(acceptedNames, (name) => {
        const candidates = addressCandidates(name);
        expect(new Set(candidates).size).toBe(candidates.length);
        for (const candidate of candidates) {
          expect(checkLocalPart(candidate, 'example.com').ok).toBe(true);
          expect(candidate).not.toMatch(/[0-9]/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        addressCandidates(text);
      }),
      { numRuns: 1000 },
    );
  });
});
