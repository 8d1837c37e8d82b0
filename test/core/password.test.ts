import { describe, expect, it } from 'vitest';
import { checkPassword, generatePassword, PASSWORD_ALPHABET } from '../../src/core/password.js';
import { expectFailure, expectValue } from './expect-checked.js';

const STRONG = 'violet tractor quietly sings';

describe('PASSWORD_ALPHABET', () => {
  it('has letters and digits without look-alikes or symbols', () => {
    expect(PASSWORD_ALPHABET).toBe('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789');
    expect(PASSWORD_ALPHABET).not.toMatch(/[0O1lI]/);
  });
});

describe('generatePassword', () => {
  it('returns 24 alphabet characters by default with an upper, a lower and a digit, 1000 times', () => {
    const allowed = new RegExp(`^[${PASSWORD_ALPHABET}]+$`);
    for (let i = 0; i < 1000; i++) {
      const password = generatePassword();
      expect(password).toHaveLength(24);
      expect(password).toMatch(allowed);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[0-9]/);
    }
  });

  it('returns the requested length', () => {
    expect(generatePassword(20)).toHaveLength(20);
    expect(generatePassword(64)).toHaveLength(64);
  });

  it('refuses lengths below 20, above 128 or fractional', () => {
    expect(() => generatePassword(19)).toThrow(RangeError);
    expect(() => generatePassword(129)).toThrow(RangeError);
    expect(() => generatePassword(20.5)).toThrow(RangeError);
  });

  it('produces passwords that pass checkPassword', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(expectValue(checkPassword(password, {}))).toBe(password);
    }
  });

  it('uses every alphabet character over many draws', () => {
    const seen = new Set(Array.from({ length: 200 }, () => generatePassword()).join(''));
    expect(seen.size).toBe(PASSWORD_ALPHABET.length);
  });
});

describe('checkPassword', () => {
  it('accepts a strong passphrase unchanged, spaces included', () => {
    expect(
      expectValue(checkPassword(` ${STRONG} `, { localPart: 'josh', name: 'Josh Smith' })),
    ).toBe(` ${STRONG} `);
  });

  it('rejects a password of only spaces', () => {
    expectFailure(checkPassword('              ', {}), 'password_required', 'or generate one');
  });

  it('rejects fewer than 12 characters', () => {
    expectFailure(checkPassword('Kq7#mZ2!pX4', {}), 'password_too_short', 'at least 12');
  });

  it('counts code points, not UTF-16 units', () => {
    // Six emoji are 12 UTF-16 units but six characters.
    expectFailure(checkPassword('🔒🔑🚪🏠🌳🌙', {}), 'password_too_short', 'at least 12');
  });

  it('rejects more than 128 characters', () => {
    expectFailure(
      checkPassword(generatePassword(128) + 'x', {}),
      'password_too_long',
      'at most 128',
    );
  });

  it.each([
    ['tab', `${STRONG}\tend`, 'U+0009'],
    ['line break', `${STRONG}\nend`, 'U+000A'],
    ['lone surrogate', `${STRONG}\ud800`, 'U+D800'],
  ])('rejects a %s', (_, value, code) => {
    expectFailure(
      checkPassword(value, {}),
      'invalid_character',
      `Remove the control character ${code}`,
    );
  });

  it('rejects a password containing the local part, case-insensitively', () => {
    expectFailure(
      checkPassword('violet JOSH.SMITH tractor', { localPart: 'josh.smith' }),
      'password_contains_identity',
      'Leave "josh.smith" out',
    );
  });

  it('rejects a password containing a piece of the local part', () => {
    expectFailure(
      checkPassword('violet tractor smith sings', { localPart: 'josh.smith' }),
      'password_contains_identity',
      'Leave "smith" out',
    );
  });

  it('rejects a password containing a name word of 3 or more letters', () => {
    expectFailure(
      checkPassword('violet tractor Núñez sings', { name: 'José Núñez' }),
      'password_contains_identity',
      'Leave "núñez" out',
    );
  });

  it('ignores local parts and name words shorter than 3 letters', () => {
    expect(checkPassword(`${STRONG} jo wu`, { localPart: 'jo', name: 'Li Wu' }).ok).toBe(true);
  });

  it('rejects a guessable password with zxcvbn advice', () => {
    expectFailure(
      checkPassword('Password1234', {}),
      'password_weak',
      /^Choose a password that is harder to guess, or generate one\. .*commonly used password/,
    );
  });

  it('rejects repeated characters', () => {
    expectFailure(checkPassword('aaaaaaaaaaaaaaaa', {}), 'password_weak', /Repeated characters/);
  });
});
