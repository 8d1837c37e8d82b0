import { describe, expect, it } from 'vitest';
import { describeCharacter, firstCharacterOutside } from '../../src/core/describe-character.js';

describe('describeCharacter', () => {
  it('quotes a visible character', () => {
    expect(describeCharacter('_')).toBe('"_"');
  });

  it('names the space and the quotation mark', () => {
    expect(describeCharacter(' ')).toBe('the space');
    expect(describeCharacter('"')).toBe('the quotation mark (")');
  });

  it('shows invisible characters by code point', () => {
    expect(describeCharacter('\u200b')).toBe('the invisible character U+200B');
    expect(describeCharacter('\t')).toBe('the invisible character U+0009');
  });
});

describe('firstCharacterOutside', () => {
  it('returns the first rejected code point, whole', () => {
    expect(firstCharacterOutside('ab😀c_', /^[a-z]$/)).toBe('😀');
  });

  it('returns undefined when every character is allowed', () => {
    expect(firstCharacterOutside('abc', /^[a-z]$/)).toBeUndefined();
  });
});
