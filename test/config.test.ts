import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.js';
import { ConfigError } from '../src/app/config-schema.js';
import { withConfigurationTable } from '../src/app/config-table.js';
import { VARIABLES } from '../src/app/config-variables.js';

const ROOT = new URL('..', import.meta.url).pathname;
const variables = Object.entries(VARIABLES);

/** What loadConfig(env) throws, or undefined. */
function refusal(env: Record<string, string>): Error | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('the configuration schema', () => {
  it.each(variables)('refuses a bad %s at start-up, naming it and what it accepts', (name, v) => {
    const error = refusal({ [name]: v.bad });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message.startsWith(`${name} must be ${v.accepts}`), error?.message).toBe(true);
    // A value that may hold a password is never repeated.
    if (v.secret) expect(error?.message).not.toContain(v.bad);
  });

  it('accepts every example, all set together', () => {
    expect(refusal(Object.fromEntries(variables.map(([name, v]) => [name, v.example])))).toBe(
      undefined,
    );
  });

  it('refuses a control character in any value, and reports every bad variable at once', () => {
    expect(refusal({ MAILWRIGHT_DATA_DIR: '/var/lib/\u001b[0mmailwright' })?.message).toBe(
      'MAILWRIGHT_DATA_DIR must be a directory; got "/var/lib/\\u001b[0mmailwright".',
    );
    const error = refusal({ MAILWRIGHT_HASH_CONCURRENCY: 'abc', MAILWRIGHT_LOG_LEVEL: 'loud' });
    expect((error as ConfigError).problems).toEqual([
      'MAILWRIGHT_HASH_CONCURRENCY must be a whole number from 1 to 1024; got "abc".',
      'MAILWRIGHT_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud".',
    ]);
  });

  it('reads what used to be read elsewhere: hash threads, log level, CLI account and debug', () => {
    const config = loadConfig({
      MAILWRIGHT_HASH_CONCURRENCY: '3',
      MAILWRIGHT_LOG_LEVEL: 'Warn',
      MAILWRIGHT_ACCOUNT: 'acme',
      MAILWRIGHT_DEBUG: '1',
    });
    expect(config).toMatchObject({
      hashConcurrency: 3,
      logLevel: 'warn',
      cli: { account: 'acme', debug: true },
    });
    expect(loadConfig({ MAILWRIGHT_ACCOUNT: ' ', MAILWRIGHT_DEBUG: '' })).toMatchObject({
      logLevel: 'info',
      cli: { account: 'admin', debug: false },
    });
  });

  it('is the table README.md shows (npm run docs:config writes it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme, 'run npm run docs:config').toBe(withConfigurationTable(readme));
  });

  it('holds every MAILWRIGHT_* name src/ spells, and nothing else reads one from an environment', () => {
    const files = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ file: f, text: readFileSync(join(ROOT, 'src', f), 'utf8') }));
    const spelled = new Set(
      files.flatMap((f) => f.text.match(/MAILWRIGHT_[A-Z0-9_]*[A-Z0-9]/g) ?? []),
    );
    expect([...spelled].filter((name) => !(name in VARIABLES))).toEqual([]);
    const readers = files
      .filter((f) => /env(\.|\[['"`])MAILWRIGHT_/.test(f.text))
      .map((f) => f.file);
    expect(readers).toEqual([]);
  });
});

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
      web: {},
    });
  });

  it("reads the web address redirected domains point at, refusing the other family's address", () => {
    expect(
      dns({
        MAILWRIGHT_WEB_IPV4: '203.0.113.10',
        MAILWRIGHT_WEB_IPV6: '2001:db8::10',
        MAILWRIGHT_WEB_CNAME: 'Web.Example.NET.',
      }).web,
    ).toEqual({ ipv4: '203.0.113.10', ipv6: '2001:db8::10', cname: 'web.example.net' });
    expect(() => dns({ MAILWRIGHT_WEB_IPV4: '2001:db8::10' })).toThrow(/MAILWRIGHT_WEB_IPV4/);
    expect(() => dns({ MAILWRIGHT_WEB_IPV6: '203.0.113.10' })).toThrow(/MAILWRIGHT_WEB_IPV6/);
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
      /MAILWRIGHT_SPF_INCLUDES .*"ip4:192.0.2.1" is not a domain/,
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
  it("reads a relay host with the file of its login, and the file alone (domains' relays)", () => {
    expect(loadConfig({}).relay).toBeUndefined();
    expect(
      loadConfig({
        MAILWRIGHT_RELAY_HOST: '[SMTP.Relay.example]:587',
        MAILWRIGHT_RELAY_PASSWORD_FILE: '/etc/mailwright/relay-password',
      }).relay,
    ).toEqual({ host: '[smtp.relay.example]:587', passwordFile: '/etc/mailwright/relay-password' });
    expect(loadConfig({ MAILWRIGHT_RELAY_PASSWORD_FILE: '/etc/relay' }).relay).toEqual({
      passwordFile: '/etc/relay',
    });
  });

  it('offers domains the listed relays and the global one, each once, and refuses a bad one', () => {
    expect(loadConfig({}).domainRelays).toEqual([]);
    expect(
      loadConfig({
        MAILWRIGHT_DOMAIN_RELAYS: ' [A.relay.example]:587, [smtp.relay.example]:587 ,',
        MAILWRIGHT_RELAY_HOST: '[smtp.relay.example]:587',
      }).domainRelays,
    ).toEqual(['[a.relay.example]:587', '[smtp.relay.example]:587']);
    expect(() => loadConfig({ MAILWRIGHT_DOMAIN_RELAYS: 'smtp.relay.example:587' })).toThrow(
      /MAILWRIGHT_DOMAIN_RELAYS/,
    );
  });

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
