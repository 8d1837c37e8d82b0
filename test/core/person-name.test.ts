import { describe, expect, it } from 'vitest';
import { checkPersonName, nameWords, ROLE_WORDS } from '../../src/core/person-name.js';
import { expectFailure, expectValue } from './expect-checked.js';

describe('checkPersonName', () => {
  it.each([
    'Josh Smith',
    'José Núñez',
    "Mary-Jane O'Neil",
    'Mary-Jane O’Neil',
    'J. R. Tolkien',
    'Zhang Wei',
    '张 伟',
    'Anne-Marie Test',
  ])('accepts %s', (name) => {
    expect(expectValue(checkPersonName(name))).toBe(name);
  });

  it('trims and collapses inner whitespace', () => {
    expect(expectValue(checkPersonName('  Josh \t  Smith  '))).toBe('Josh Smith');
  });

  it('stores a decomposed accent in composed form', () => {
    expect(expectValue(checkPersonName('Jose\u0301 Nu\u0301n\u0303ez'))).toBe('José Núñez');
  });

  it('rejects empty input as required', () => {
    expectFailure(checkPersonName('  '), 'required', 'like Josh Smith');
  });

  it('rejects a single character as too short', () => {
    expectFailure(checkPersonName('J'), 'too_short', 'like Josh Smith');
  });

  it('rejects more than 64 characters as too long', () => {
    expectFailure(checkPersonName(`Josh ${'a'.repeat(60)}`), 'too_long', 'at most 64');
  });

  it('rejects a digit', () => {
    expectFailure(checkPersonName('Josh Smith2'), 'invalid_character', 'Remove the digit "2"');
  });

  it('rejects an e-mail address', () => {
    expectFailure(
      checkPersonName('josh@example.com'),
      'invalid_character',
      'not an e-mail address',
    );
  });

  it.each([
    ['Josh <Smith>', '"<"'],
    ['Josh "JS" Smith', 'the quotation mark (")'],
    ['Josh `Smith`', '"`"'],
    ['Josh\u0007 Smith', 'the invisible character U+0007'],
    ['Josh & Smith', '"&"'],
  ])('rejects %j and names the character', (name, named) => {
    expectFailure(checkPersonName(name), 'invalid_character', `Remove ${named}`);
  });

  it('rejects a single word as not a full name', () => {
    expectFailure(
      checkPersonName('Madonna'),
      'not_full_name',
      'Enter a first and last name, like Josh Smith',
    );
    expectFailure(checkPersonName('Mary-Jane'), 'not_full_name', 'like Josh Smith');
  });

  it.each([
    'Admin User',
    'Test Test',
    'Support Team',
    'No Reply',
    'no-reply team',
    'IT Support',
    'Post Master',
  ])('rejects the role name %s', (name) => {
    expectFailure(checkPersonName(name), 'not_a_person_name', 'real first and last name');
  });
});

describe('nameWords', () => {
  it('splits on spaces, hyphens, periods and apostrophes, lowercased', () => {
    expect(nameWords("Mary-Jane O'Neil J.R. O’Hara")).toEqual([
      'mary',
      'jane',
      'o',
      'neil',
      'j',
      'r',
      'o',
      'hara',
    ]);
  });
});

describe('ROLE_WORDS', () => {
  it('holds the role and placeholder words in lowercase', () => {
    expect(ROLE_WORDS.has('postmaster')).toBe(true);
    expect(ROLE_WORDS.has('no-reply')).toBe(true);
    expect([...ROLE_WORDS].every((word) => word === word.toLowerCase())).toBe(true);
  });
});
