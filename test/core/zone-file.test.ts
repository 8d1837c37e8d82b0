import { describe, expect, it } from 'vitest';
import type { PlannedRecord } from '../../src/core/dns-record.js';
import { txtStrings, zoneFragment } from '../../src/core/zone-file.js';

const record = (type: PlannedRecord['type'], host: string, value: string): PlannedRecord => ({
  type,
  host,
  value,
  ttl: 3600,
  purpose: `Without it ${type} breaks.`,
});

describe('zoneFragment', () => {
  it('writes absolute names, TTL, class, quoted TXT and a comment per record', () => {
    expect(
      zoneFragment(
        [
          record('MX', 'example.com', '10 mx.mailwright.example.'),
          record('TXT', 'example.com', 'v=spf1 mx -all'),
          record('CNAME', 'mta-sts.example.com', 'mx.mailwright.example.'),
          record('SRV', '_imaps._tcp.example.com', '0 1 993 mx.mailwright.example.'),
        ],
        'DNS records Mailwright needs for example.com',
      ),
    ).toBe(
      [
        '; DNS records Mailwright needs for example.com',
        '$TTL 3600',
        '',
        '; Without it MX breaks.',
        'example.com. 3600 IN MX 10 mx.mailwright.example.',
        '',
        '; Without it TXT breaks.',
        'example.com. 3600 IN TXT "v=spf1 mx -all"',
        '',
        '; Without it CNAME breaks.',
        'mta-sts.example.com. 3600 IN CNAME mx.mailwright.example.',
        '',
        '; Without it SRV breaks.',
        '_imaps._tcp.example.com. 3600 IN SRV 0 1 993 mx.mailwright.example.',
        '',
      ].join('\n'),
    );
  });

  it('splits a long TXT value (a DKIM key) into strings of at most 255 bytes', () => {
    const key = 'A'.repeat(392);
    const value = `v=DKIM1; k=rsa; p=${key}`;
    const line = zoneFragment([record('TXT', 'mw202611._domainkey.example.com', value)], 't')
      .split('\n')
      .at(-2)!;
    const head = value.slice(0, 255);
    const tail = value.slice(255);
    expect(line).toBe(`mw202611._domainkey.example.com. 3600 IN TXT "${head}" "${tail}"`);
    expect(head).toHaveLength(255);
  });
});

describe('txtStrings', () => {
  it('quotes an empty value as one empty string', () => {
    expect(txtStrings('')).toBe('""');
  });

  it('splits at exactly 255 bytes', () => {
    expect(txtStrings('x'.repeat(255))).toBe(`"${'x'.repeat(255)}"`);
    expect(txtStrings('x'.repeat(256))).toBe(`"${'x'.repeat(255)}" "x"`);
    expect(txtStrings('x'.repeat(510))).toBe(`"${'x'.repeat(255)}" "${'x'.repeat(255)}"`);
  });

  it('escapes quotes and backslashes, and non-ASCII bytes as \\DDD', () => {
    expect(txtStrings('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(txtStrings('é')).toBe('"\\195\\169"');
  });
});
