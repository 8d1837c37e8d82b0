import { describe, expect, it } from 'vitest';
import { checkLocalPart } from '../../src/core/local-part.js';
import { expectFailure, expectValue } from './expect-checked.js';

describe('checkLocalPart', () => {
  it('trims and lowercases', () => {
    expect(expectValue(checkLocalPart('  Josh.Smith ', 'example.com'))).toBe('josh.smith');
  });

  it('accepts letters, digits, dots, underscores and hyphens', () => {
    expect(expectValue(checkLocalPart('j_smith-2.eu', 'example.com'))).toBe('j_smith-2.eu');
  });

  it('rejects empty input as required', () => {
    expectFailure(checkLocalPart('   ', 'example.com'), 'required', 'for example josh.smith');
  });

  it.each([
    ['josh+news', '"+"'],
    ['josh smith', 'the space'],
    ['josé', '"é"'],
    ['josh@example.com', '"@"'],
  ])('rejects %j and names the character', (input, named) => {
    expectFailure(checkLocalPart(input, 'example.com'), 'invalid_character', `Remove ${named}`);
  });

  it.each(['.josh', 'josh.'])('rejects the dot at the edge of %s', (input) => {
    expectFailure(checkLocalPart(input, 'example.com'), 'dot_edge', 'for example josh.smith');
  });

  it.each(['-bo', '-', '--help'])(
    'rejects %j: a leading hyphen reads as an option (Postfix refuses it)',
    (input) => {
      expectFailure(checkLocalPart(input, 'example.com'), 'hyphen_start', 'josh-smith rather than');
    },
  );

  it('accepts hyphens after the first character', () => {
    expect(expectValue(checkLocalPart('bo-', 'example.com'))).toBe('bo-');
  });

  it('rejects two dots in a row', () => {
    expectFailure(
      checkLocalPart('josh..smith', 'example.com'),
      'double_dot',
      'josh.smith rather than josh..smith',
    );
  });

  it('rejects more than 64 characters', () => {
    expectFailure(
      checkLocalPart('a'.repeat(65), 'example.com'),
      'too_long',
      'the most allowed is 64',
    );
  });

  it('accepts exactly 64 characters', () => {
    expect(checkLocalPart('a'.repeat(64), 'example.com').ok).toBe(true);
  });

  it('rejects an address longer than 254 characters', () => {
    const domain = `${`${'d'.repeat(60)}.`.repeat(3)}${'e'.repeat(10)}.com`;
    expectFailure(
      checkLocalPart('a'.repeat(64), domain),
      'address_too_long',
      'shorten the part before the @',
    );
  });
});
