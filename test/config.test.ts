import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.js';

const dns = (env: Record<string, string>) =>
  loadConfig({ MAILWRIGHT_MAIL_HOST: 'mx.example.net', ...env }).dnsSettings;

describe('DNS record settings', () => {
  it('defaults to quarantine, MTA-STS testing, no includes and no report address', () => {
    expect(dns({})).toEqual({
      mailHost: 'mx.example.net',
      imapPort: 993,
      submissionPort: 587,
      spfIncludes: [],
      dmarcPolicy: 'quarantine',
      mtaStsMode: 'testing',
      ttl: 3600,
    });
  });

  it('reads includes with or without include:, and a report address with or without mailto:', () => {
    const settings = dns({
      MAILWRIGHT_SPF_INCLUDES: ' include:_spf.Relay.net, spf.other.org ,',
      MAILWRIGHT_DMARC_RUA: 'dmarc@reports.example.net',
      MAILWRIGHT_DMARC_POLICY: 'Reject',
      MAILWRIGHT_MTA_STS_MODE: 'enforce',
      MAILWRIGHT_SMTP_PORT: '465',
    });
    expect(settings).toMatchObject({
      spfIncludes: ['_spf.relay.net', 'spf.other.org'],
      dmarcRua: 'mailto:dmarc@reports.example.net',
      dmarcPolicy: 'reject',
      mtaStsMode: 'enforce',
      submissionPort: 465,
    });
    expect(dns({ MAILWRIGHT_DMARC_RUA: 'mailto:d@r.net' }).dmarcRua).toBe('mailto:d@r.net');
  });

  it('keeps the mail host lowercase and without a trailing dot', () => {
    expect(dns({ MAILWRIGHT_MAIL_HOST: 'MX.Example.NET.' }).mailHost).toBe('mx.example.net');
  });

  it('fails fast on values that would publish broken records', () => {
    expect(() => dns({ MAILWRIGHT_SPF_INCLUDES: 'ip4:192.0.2.1' })).toThrow(
      /MAILWRIGHT_SPF_INCLUDES .*"ip4:192.0.2.1" is not one/,
    );
    const ten = Array.from({ length: 10 }, (_, i) => `spf${i}.example.net`).join(',');
    expect(() => dns({ MAILWRIGHT_SPF_INCLUDES: ten })).toThrow(/at most 9/);
    expect(() => dns({ MAILWRIGHT_DMARC_RUA: 'https://reports.example.net' })).toThrow(
      /MAILWRIGHT_DMARC_RUA must be one address/,
    );
    expect(() => dns({ MAILWRIGHT_DMARC_POLICY: 'strict' })).toThrow(
      'MAILWRIGHT_DMARC_POLICY must be one of none, quarantine, reject; got "strict".',
    );
    expect(() => dns({ MAILWRIGHT_MTA_STS_MODE: 'on' })).toThrow(/testing, enforce, none/);
  });
});

describe('TLS and DNS provider settings', () => {
  it('needs both TLS files or neither', () => {
    expect(loadConfig({}).tls).toBeUndefined();
    expect(loadConfig({ MAILWRIGHT_TLS_CERT: 'c.pem', MAILWRIGHT_TLS_KEY: 'k.pem' }).tls).toEqual({
      certFile: 'c.pem',
      keyFile: 'k.pem',
    });
    expect(() => loadConfig({ MAILWRIGHT_TLS_CERT: 'c.pem' })).toThrow(/MAILWRIGHT_TLS_KEY/);
  });

  it('reads an RFC 2136 provider with its TSIG key, and refuses one without', () => {
    expect(
      loadConfig({
        MAILWRIGHT_DNS_PROVIDER: 'rfc2136',
        MAILWRIGHT_DNS_UPDATE_SERVER: '192.0.2.53:53',
        MAILWRIGHT_TSIG_KEY: 'hmac-sha256:mailwright:c2VjcmV0Lw==',
      }).dnsProvider,
    ).toEqual({
      kind: 'rfc2136',
      server: '192.0.2.53:53',
      keyName: 'mailwright',
      keySecret: 'c2VjcmV0Lw==',
      algorithm: 'hmac-sha256',
    });
    expect(() =>
      loadConfig({
        MAILWRIGHT_DNS_PROVIDER: 'rfc2136',
        MAILWRIGHT_DNS_UPDATE_SERVER: '192.0.2.53',
      }),
    ).toThrow(/MAILWRIGHT_TSIG_KEY/);
    expect(() => loadConfig({ MAILWRIGHT_DNS_PROVIDER: 'route53' })).toThrow(/rfc2136 or powerdns/);
  });
});
