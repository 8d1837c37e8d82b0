import { createPublicKey, createSign, createVerify, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dkimRecordValue, generateDkimKeyPair, nextDkimSelector } from '../../src/core/dkim-key.js';

const NOV_2026 = new Date('2026-11-15T12:00:00Z');

describe('generateDkimKeyPair', () => {
  it('makes an RSA 2048 pair whose published key is the SPKI of the private key', async () => {
    const pair = await generateDkimKeyPair('rsa');
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const published = createPublicKey({
      key: Buffer.from(pair.publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(published.asymmetricKeyType).toBe('rsa');
    expect(published.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const signature = createSign('sha256').update('mail').sign(pair.privateKeyPem);
    expect(createVerify('sha256').update('mail').verify(published, signature)).toBe(true);
  });

  it('publishes an Ed25519 key as its bare 32 bytes (RFC 8463)', async () => {
    const pair = await generateDkimKeyPair('ed25519');
    const raw = Buffer.from(pair.publicKeyBase64, 'base64');
    expect(raw).toHaveLength(32);
    const published = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    const signature = sign(null, Buffer.from('mail'), pair.privateKeyPem);
    expect(verify(null, Buffer.from('mail'), published, signature)).toBe(true);
  });

  it('makes a different pair each time', async () => {
    const [a, b] = await Promise.all([generateDkimKeyPair('rsa'), generateDkimKeyPair('rsa')]);
    expect(a.publicKeyBase64).not.toBe(b.publicKeyBase64);
  });
});

describe('dkimRecordValue', () => {
  it('is the DKIM1 TXT value with the key type', () => {
    expect(dkimRecordValue('rsa', 'AAAA')).toBe('v=DKIM1; k=rsa; p=AAAA');
    expect(dkimRecordValue('ed25519', 'BBBB')).toBe('v=DKIM1; k=ed25519; p=BBBB');
  });
});

describe('nextDkimSelector', () => {
  it('names the first key of a month after the month, in UTC', () => {
    expect(nextDkimSelector('rsa', NOV_2026, [])).toBe('mw202611');
    expect(nextDkimSelector('ed25519', NOV_2026, [])).toBe('mw202611e');
    expect(nextDkimSelector('rsa', new Date('2026-11-30T23:30:00-05:00'), [])).toBe('mw202612');
  });

  it('adds b, c… for further keys that month, never reusing a name', () => {
    expect(nextDkimSelector('rsa', NOV_2026, ['mw202611'])).toBe('mw202611b');
    expect(nextDkimSelector('rsa', NOV_2026, ['mw202611', 'mw202611b'])).toBe('mw202611c');
    expect(nextDkimSelector('ed25519', NOV_2026, ['mw202611', 'mw202611e'])).toBe('mw202611eb');
    expect(nextDkimSelector('rsa', NOV_2026, ['mw202610'])).toBe('mw202611');
  });

  it('never gives an RSA key a name that reads as Ed25519', () => {
    const taken = ['mw202611', 'mw202611b', 'mw202611c', 'mw202611d'];
    expect(nextDkimSelector('rsa', NOV_2026, taken)).toBe('mw202611f');
  });

  it('runs out after a month of names', () => {
    const taken: string[] = [];
    for (;;) {
      const next = nextDkimSelector('rsa', NOV_2026, taken);
      if (next === undefined) break;
      taken.push(next);
    }
    expect(taken).toHaveLength(25);
    expect(new Set(taken).size).toBe(25);
    for (const s of taken) expect(s).toMatch(/^mw202611[b-df-z]?$/);
  });
});
