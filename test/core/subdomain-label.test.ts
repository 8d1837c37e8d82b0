import { describe, expect, it } from 'vitest';
import { checkSubdomainLabel, splitLabels } from '../../src/core/subdomain-label.js';
import { expectFailure, expectValue } from './expect-checked.js';

describe('splitLabels', () => {
  it('splits a textarea on \\n and \\r\\n, trimming, lowercasing and dropping blank lines', () => {
    expect(splitLabels('Sales\r\n  support \n\n   \nEU-West\n')).toEqual([
      'sales',
      'support',
      'eu-west',
    ]);
  });

  it('accepts an array and keeps order and duplicates', () => {
    expect(splitLabels([' B ', 'a', '', 'b'])).toEqual(['b', 'a', 'b']);
  });

  it('returns no labels for blank input', () => {
    expect(splitLabels('  \n \r\n')).toEqual([]);
  });
});

describe('checkSubdomainLabel', () => {
  it('returns the full hostname', () => {
    expect(expectValue(checkSubdomainLabel('sales', 'example.com'))).toBe('sales.example.com');
  });

  it('allows www and xn-- labels', () => {
    expect(expectValue(checkSubdomainLabel('www', 'example.com'))).toBe('www.example.com');
    expect(expectValue(checkSubdomainLabel('xn--bcher-kva', 'example.com'))).toBe(
      'xn--bcher-kva.example.com',
    );
  });

  it('rejects an empty label as required', () => {
    expectFailure(checkSubdomainLabel('', 'example.com'), 'required', 'for example sales');
  });

  it('rejects a full hostname typed as a label', () => {
    expectFailure(
      checkSubdomainLabel('sales.example.com', 'example.com'),
      'contains_dot',
      'one label per line, without dots — for example sales, not sales.example.com',
    );
  });

  it.each([
    ['sales_eu', '"_"'],
    ['sales eu', 'the space'],
    ['bücher', '"ü"'],
  ])('rejects %j and names the character', (label, named) => {
    expectFailure(
      checkSubdomainLabel(label, 'example.com'),
      'invalid_character',
      `Remove ${named}`,
    );
  });

  it.each(['-sales', 'sales-'])('rejects the hyphen at the edge of %s', (label) => {
    expectFailure(checkSubdomainLabel(label, 'example.com'), 'hyphen_edge', 'for example sales');
  });

  it('rejects a label over 63 characters', () => {
    expectFailure(checkSubdomainLabel('a'.repeat(64), 'example.com'), 'too_long', 'at most 63');
  });

  it('rejects a label that makes the hostname longer than 253 characters', () => {
    const parent = `${`${'p'.repeat(60)}.`.repeat(3)}${'q'.repeat(60)}.com`;
    expectFailure(checkSubdomainLabel('a'.repeat(10), parent), 'too_long', 'at most 253');
  });

  it('rejects an xn-- label that is not valid punycode', () => {
    expectFailure(
      checkSubdomainLabel('xn--abc', 'example.com'),
      'invalid_character',
      'check the xn-- spelling',
    );
  });
});
