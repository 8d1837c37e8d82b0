import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  MAX_WEBHOOK_ATTEMPTS,
  nextWebhookAttempt,
  refusedWebhookAddress,
  signWebhook,
} from '../../src/core/webhooks.js';

describe('webhook targets', () => {
  it.each(['10.0.0.1', '172.16.5.4', '192.168.1.1', '127.0.0.1', '::1', 'fd12::1', '100.64.0.1'])(
    'refuses private %s unless allowed',
    (ip) => {
      expect(refusedWebhookAddress(ip, false)).toMatch(/private or loopback/);
      expect(refusedWebhookAddress(ip, true)).toBeNull();
    },
  );

  it.each([
    '169.254.169.254',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    'fe80::1',
    'fd00:ec2::254',
    '0.0.0.0',
    '224.0.0.1',
  ])('always refuses link-local, metadata and reserved %s', (ip) => {
    expect(refusedWebhookAddress(ip, true)).toMatch(/never reach/);
  });

  it('refuses a private address written as IPv4-mapped IPv6', () => {
    expect(refusedWebhookAddress('::ffff:10.0.0.1', false)).toMatch(/private/);
  });

  it('accepts public addresses', () => {
    expect(refusedWebhookAddress('93.184.216.34', false)).toBeNull();
    expect(refusedWebhookAddress('2606:4700::1111', false)).toBeNull();
  });

  it('allows plain http only to this host, and only when private targets are', () => {
    expect(checkWebhookUrl('http://127.0.0.1:8080/x', true)).toEqual({
      ok: true,
      value: 'http://127.0.0.1:8080/x',
    });
    expect(checkWebhookUrl('http://localhost/x', false)).toMatchObject({ code: 'https_required' });
    expect(checkWebhookUrl('http://10.0.0.1/x', true)).toMatchObject({ code: 'https_required' });
    expect(checkWebhookUrl('https://sub.localhost/x', false)).toMatchObject({
      code: 'private_address',
    });
    expect(checkWebhookUrl('https://[::ffff:7f00:1]/', false)).toMatchObject({
      code: 'private_address',
    });
    expect(checkWebhookUrl('https://hooks.example.com/x#frag', false)).toMatchObject({
      code: 'fragment_in_url',
    });
  });
});

describe('webhook retries and signature', () => {
  it('backs off, then gives up after the last attempt', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    expect(nextWebhookAttempt(1, now)?.toISOString()).toBe('2026-12-01T00:01:00.000Z');
    expect(nextWebhookAttempt(MAX_WEBHOOK_ATTEMPTS - 1, now)).not.toBeNull();
    expect(nextWebhookAttempt(MAX_WEBHOOK_ATTEMPTS, now)).toBeNull();
  });

  it('signs "t.body" with HMAC-SHA256 (a known vector)', () => {
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    expect(signWebhook('whsec_test', 1_700_000_000, '{"a":1}')).toBe(
      't=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789',
    );
  });
});
