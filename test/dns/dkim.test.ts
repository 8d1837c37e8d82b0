import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkDkim, dkimKey } from '../../src/dns/dkim.js';

const HOST = 'mw202611._domainkey.example.com';
const newKey = () =>
  generateKeyPairSync('ed25519')
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
const KEY = newKey();
const OURS = `v=DKIM1; k=ed25519; p=${KEY}`;
const check = (answers: string[]) => checkDkim(HOST, OURS, answers);

describe('dkimKey', () => {
  it('reads p= without whitespace, whatever the tag order', () => {
    expect(dkimKey(`k=rsa; t=s; p=${KEY.slice(0, 10)}  ${KEY.slice(10)}`)).toEqual({
      ok: true,
      key: KEY,
    });
  });

  it('rejects v= anywhere but first, as RFC 6376 §3.6.1 requires', () => {
    expect(dkimKey(`k=rsa; p=${KEY}; v=DKIM1`)).toEqual({
      ok: false,
      error: 'v= must be the first tag and read DKIM1',
    });
    expect(dkimKey(`v=DKIM2; p=${KEY}`)).toMatchObject({ ok: false });
  });

  it('rejects a record without p= or with broken tags', () => {
    expect(dkimKey('v=DKIM1; k=rsa')).toMatchObject({ ok: false, error: /no p= tag/ });
    expect(dkimKey('v=DKIM1; p=a; p=b')).toMatchObject({ ok: false, error: /Duplicate tag/ });
  });
});

describe('checkDkim', () => {
  it('is ok when the key equals ours, ignoring tag order and whitespace', () => {
    expect(check([OURS])).toEqual({ status: 'ok', hint: '' });
    expect(check([`v=DKIM1; p=${KEY.slice(0, 20)} ${KEY.slice(20)}; k=ed25519; t=s`])).toEqual({
      status: 'ok',
      hint: '',
    });
  });

  it("is a mismatch when the published key is not Mailwright's", () => {
    const verdict = check([`v=DKIM1; k=ed25519; p=${newKey()}`]);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain("is not Mailwright's");
    expect(verdict.hint).toContain(`replace the record's value with "${OURS}"`);
  });

  it('is a mismatch naming a revoked key (empty p=)', () => {
    const verdict = check(['v=DKIM1; k=ed25519; p=']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('revoked');
  });

  it('is a mismatch for a record that is not a DKIM key', () => {
    const verdict = check(['hello world']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('not a valid DKIM key record');
  });

  it('is a mismatch when several records share the selector', () => {
    expect(check([OURS, `v=DKIM1; p=${newKey()}`]).hint).toContain(`delete all but "${OURS}"`);
    expect(check([`v=DKIM1; p=${newKey()}`, 'x=1']).hint).toContain(
      "none holds Mailwright's DKIM key",
    );
  });
});
