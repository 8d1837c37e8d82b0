import { describe, expect, it } from 'vitest';
import { planRecords } from '../../src/core/dns-plan.js';
import { checkSubdomainLabel, splitLabels } from '../../src/core/subdomain-label.js';
import { TEST_DNS_SETTINGS } from '../support/context.js';
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

  it.each([
    ['mta-sts', 'a DNS record of example.com itself'],
    ['_dmarc', 'a DNS record of example.com itself'],
    ['_mailwright', 'a DNS record of example.com itself'],
    ['_tcp', '(_imaps._tcp.example.com)'],
    ['_tls', '(_smtp._tls.example.com)'],
    ['_domainkey', 'a DNS record'],
  ])('reserves %s, a name the root’s own records use', (label, why) => {
    expectFailure(checkSubdomainLabel(label, 'example.com'), 'reserved_label', why);
    expectFailure(checkSubdomainLabel(label, 'example.com'), 'reserved_label', 'choose another');
  });

  it('reserves every label right below the root that the root’s plan uses', () => {
    const settings = { ...TEST_DNS_SETTINGS };
    for (const submissionPort of [465, 587]) {
      const plan = planRecords(
        { name: 'example.com', kind: 'root', parentName: null, verificationToken: 't' },
        { ...settings, submissionPort },
        [{ selector: 's1', algorithm: 'rsa', publicKeyBase64: 'AAAA' }],
      );
      for (const { host } of plan) {
        if (host === 'example.com') continue;
        const label = host
          .replace(/\.example\.com$/, '')
          .split('.')
          .pop()!;
        expectFailure(checkSubdomainLabel(label, 'example.com'), 'reserved_label', 'choose');
      }
    }
  });

  it('rejects an xn-- label that is not valid punycode', () => {
    expectFailure(
      checkSubdomainLabel('xn--abc', 'example.com'),
      'invalid_character',
      'check the xn-- spelling',
    );
  });
});
