import { describe, expect, it } from 'vitest';
import { checkDmarc, isDmarcRecord, parseDmarc } from '../../src/dns/dmarc.js';

const HOST = '_dmarc.example.com';
const OURS = 'v=DMARC1; p=quarantine; sp=quarantine; rua=mailto:dmarc@mailwright.test';
const check = (answers: string[], expected = OURS) => checkDmarc(HOST, expected, answers);

describe('parseDmarc', () => {
  it('reads policy, sub-domain policy, pct and report URIs in any tag order', () => {
    expect(
      parseDmarc('v=DMARC1; rua=mailto:A@Example.com!10m, mailto:b@example.com; pct=50; p=Reject'),
    ).toEqual({
      ok: true,
      record: { p: 'reject', pct: 50, rua: ['mailto:a@example.com', 'mailto:b@example.com'] },
    });
  });

  it.each([
    ['v=DMARC1; rua=mailto:a@example.com', /p= tag \(policy\) is missing/],
    ['v=DMARC1; p=block', /p=block is not none, quarantine or reject/],
    ['v=DMARC1; p=none; sp=maybe', /sp=maybe/],
    ['v=DMARC1; p=none; pct=150', /pct=150 is not a percentage/],
    ['v=DMARC1; p=none; adkim=x', /adkim=x is not r or s/],
    ['v=DMARC1; p=none; rua=dmarc@example.com', /"dmarc@example.com" in rua= is not a URI/],
    ['v=DMARC1; p=none; p=reject', /Duplicate tag/],
    ['v=DMARC1; p=none; reject', /Malformed part/],
  ])('rejects %s', (record, error) => {
    const parsed = parseDmarc(record);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe('checkDmarc', () => {
  it('picks DMARC records by their v=DMARC1 start', () => {
    expect(isDmarcRecord('v=DMARC1; p=none')).toBe(true);
    expect(isDmarcRecord('v=DMARC1')).toBe(true);
    expect(isDmarcRecord('v=DMARC10; p=none')).toBe(false);
    expect(isDmarcRecord('p=none; v=DMARC1')).toBe(false);
  });

  it('is ok for the same record in another tag order and with extra tags', () => {
    expect(
      check([
        'v=DMARC1; rua=mailto:dmarc@mailwright.test; sp=quarantine; p=quarantine; fo=1; adkim=s',
      ]),
    ).toEqual({ status: 'ok', hint: '' });
  });

  it('is ok for a stricter policy and extra report addresses', () => {
    expect(
      check([
        'v=DMARC1; p=reject; rua=mailto:reports@example.com,mailto:DMARC@mailwright.test!50m',
      ]),
    ).toEqual({ status: 'ok', hint: '' });
  });

  it('is a mismatch for a weaker policy, naming the change', () => {
    const verdict = check(['v=DMARC1; p=none; sp=quarantine; rua=mailto:dmarc@mailwright.test']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain("p=none, weaker than Mailwright's p=quarantine");
    expect(verdict.hint).toContain('change it to p=quarantine');
  });

  it('is a mismatch for a weaker sub-domain policy', () => {
    const verdict = check(['v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@mailwright.test']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('set sp=quarantine');
  });

  it('is a mismatch when the policy applies to only part of the mail', () => {
    const verdict = check(['v=DMARC1; p=reject; pct=20; rua=mailto:dmarc@mailwright.test']);
    expect(verdict.hint).toContain('only 20% of failing mail: remove its pct= tag');
  });

  it('is a mismatch when rua lacks our address', () => {
    const verdict = check(['v=DMARC1; p=quarantine; rua=mailto:reports@example.com']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain(
      'add mailto:dmarc@mailwright.test to its rua= tag, e.g. "rua=mailto:reports@example.com,mailto:dmarc@mailwright.test"',
    );
    expect(check(['v=DMARC1; p=quarantine']).hint).toContain('"rua=mailto:dmarc@mailwright.test"');
  });

  it('does not ask for rua when we have none', () => {
    expect(check(['v=DMARC1; p=quarantine'], 'v=DMARC1; p=quarantine').status).toBe('ok');
  });

  it('is a mismatch when there is more than one DMARC record', () => {
    const verdict = check([OURS, 'v=DMARC1; p=none', 'unrelated']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('has 2 DMARC records, so receivers ignore them all');
  });

  it('is a mismatch for a malformed record, naming the problem', () => {
    const verdict = check(['v=DMARC1; p=quarantine; pct=abc']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('is invalid (pct=abc is not a percentage from 0 to 100)');
    expect(verdict.hint).toContain(`replace it with "${OURS}"`);
  });

  it('is missing when no TXT record there is a DMARC record', () => {
    const verdict = check(['v=spf1 -all']);
    expect(verdict.status).toBe('missing');
    expect(verdict.hint).toContain(`add a TXT record at ${HOST} with the value "${OURS}"`);
  });
});
