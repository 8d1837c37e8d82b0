import { hostname } from 'node:os';
import {
  DEFAULT_DMARC_POLICY,
  DEFAULT_DNS_TTL,
  DEFAULT_MTA_STS_MODE,
  DMARC_POLICIES,
  type DmarcPolicy,
  type DnsSettings,
} from '../core/dns-plan.js';
import { DEFAULT_UNVERIFIED_DOMAIN_DAYS } from '../core/domain-claims.js';
import {
  DEFAULT_EDGE_LIMITS,
  DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  type EdgeLimits,
} from '../core/http-edge.js';
import type { MtaStsMode } from '../core/mta-sts.js';
import { checkOperatorEmail } from '../core/operator-email.js';
import type { DnsProviderConfig } from '../dns/providers/create-provider.js';

/**
 * Everything configurable comes from the environment, read once at start-up so a typo fails
 * fast instead of at the first request that needs the value.
 */
export interface Config {
  databaseUrl: string;
  listen: { host: string; port: number };
  /** The API server's timeouts and cap on connections per client. */
  edge: EdgeLimits;
  /** Certificate and key files: the API (and the MTA-STS policy) is then served over HTTPS. */
  tls?: { certFile: string; keyFile: string };
  /**
   * The mail servers' certificate (for MAILWRIGHT_MAIL_HOST, often not the API's): STARTTLS on
   * SMTP and submission (AUTH only after it), IMAP with TLS required, IMAPS.
   */
  mailTls?: { certFile: string; keyFile: string };
  /** `ip` or `ip:port` entries; empty means the system's resolvers. */
  dnsServers: string[];
  /** Holds the secret key file (and the SQLite database by default). */
  dataDir: string;
  /** Where mail clients and sending tools connect, as written into credentials CSVs. */
  mailServer: { imapHost: string; imapPort: number; smtpHost: string; smtpPort: number };
  /** A job's worker must renew its claim within this time, or another worker takes over. */
  jobLeaseSeconds: number;
  /** Days an added domain may stay unverified before its claim lapses. */
  unverifiedDomainDays: number;
  /** What the DNS records Mailwright asks each domain to publish contain. */
  dnsSettings: DnsSettings;
  /** The DNS host records are published to automatically; undefined: published by hand. */
  dnsProvider?: DnsProviderConfig;
  /**
   * The Dovecot configuration mailbox usage is read through (`usedMb`): MAILWRIGHT_DOVECOT_CONFIG,
   * by default the private mail plane's (`mailwright mailstack up`) in the data dir.
   */
  dovecotConfig?: string;
  /** Where the mail plane sends every hostname's postmaster@ and abuse@ (RFC 2142). */
  postmaster?: string;
  /** OpenDKIM's keys (MAILWRIGHT_DKIM_KEYS_DIR); by default `<data dir>-dkim`. */
  dkimKeysDir?: string;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/mailwright.db';
export const DEFAULT_LISTEN = '127.0.0.1:8025';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // The host mail clients reach; a real deployment sets it (e.g. mx.example.net).
  const mailHost = env.MAILWRIGHT_MAIL_HOST?.trim() || hostname();
  const imapPort = positiveInt(env, 'MAILWRIGHT_IMAP_PORT', 993);
  const smtpPort = positiveInt(env, 'MAILWRIGHT_SMTP_PORT', 587);
  return {
    databaseUrl: env.MAILWRIGHT_DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    listen: parseListen(env.MAILWRIGHT_LISTEN?.trim() || DEFAULT_LISTEN),
    edge: {
      ...DEFAULT_EDGE_LIMITS,
      requestTimeoutMs:
        positiveInt(env, 'MAILWRIGHT_REQUEST_TIMEOUT_SECONDS', DEFAULT_REQUEST_TIMEOUT_SECONDS) *
        1000,
      maxConnectionsPerClient: positiveInt(
        env,
        'MAILWRIGHT_MAX_CONNECTIONS_PER_CLIENT',
        DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
      ),
    },
    ...tlsFiles(env),
    dnsServers: (env.MAILWRIGHT_DNS_SERVERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    dataDir: env.MAILWRIGHT_DATA_DIR?.trim() || './data',
    mailServer: {
      imapHost: mailHost,
      imapPort,
      smtpHost: mailHost,
      smtpPort,
    },
    jobLeaseSeconds: positiveInt(env, 'MAILWRIGHT_JOB_LEASE_SECONDS', 30),
    unverifiedDomainDays: positiveInt(
      env,
      'MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS',
      DEFAULT_UNVERIFIED_DOMAIN_DAYS,
    ),
    ...dnsProvider(env),
    ...postmaster(env),
    ...(env.MAILWRIGHT_DKIM_KEYS_DIR?.trim()
      ? { dkimKeysDir: env.MAILWRIGHT_DKIM_KEYS_DIR.trim() }
      : {}),
    ...(env.MAILWRIGHT_DOVECOT_CONFIG?.trim()
      ? { dovecotConfig: env.MAILWRIGHT_DOVECOT_CONFIG.trim() }
      : {}),
    dnsSettings: {
      // Records name it absolutely (`mx.example.net.`), so a trailing dot here would double.
      mailHost: mailHost.toLowerCase().replace(/\.$/, ''),
      imapPort,
      submissionPort: smtpPort,
      spfIncludes: parseSpfIncludes(env.MAILWRIGHT_SPF_INCLUDES ?? ''),
      ...parseDmarcRua(env.MAILWRIGHT_DMARC_RUA?.trim() ?? ''),
      dmarcPolicy: oneOf<DmarcPolicy>(
        env,
        'MAILWRIGHT_DMARC_POLICY',
        DMARC_POLICIES,
        DEFAULT_DMARC_POLICY,
      ),
      mtaStsMode: oneOf<MtaStsMode>(
        env,
        'MAILWRIGHT_MTA_STS_MODE',
        ['testing', 'enforce', 'none'],
        DEFAULT_MTA_STS_MODE,
      ),
      ttl: DEFAULT_DNS_TTL,
    },
  };
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new Error(`${name} must be one of ${allowed.join(', ')}; got "${raw}".`);
  }
  return raw as T;
}

// The `mx` mechanism and each include cost at least one of SPF's ten DNS lookups (RFC 7208
// §4.6.4); past ten, receivers treat the record as broken.
const MAX_SPF_INCLUDES = 9;
const SPF_DOMAIN =
  /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)+$/;

function parseSpfIncludes(value: string): string[] {
  const includes = value
    .split(',')
    .map((s) =>
      s
        .trim()
        .toLowerCase()
        .replace(/^include:/, ''),
    )
    .filter(Boolean);
  const bad = includes.find((i) => !SPF_DOMAIN.test(i));
  if (bad !== undefined) {
    throw new Error(
      `MAILWRIGHT_SPF_INCLUDES must be comma-separated domains, e.g. _spf.example-relay.net; "${bad}" is not one.`,
    );
  }
  if (includes.length > MAX_SPF_INCLUDES) {
    throw new Error(
      `MAILWRIGHT_SPF_INCLUDES has ${includes.length} domains; SPF allows ten DNS lookups and \`mx\` takes one, so use at most ${MAX_SPF_INCLUDES}.`,
    );
  }
  return includes;
}

function parseDmarcRua(value: string): { dmarcRua?: string } {
  if (!value) return {};
  const address = value.replace(/^mailto:/i, '');
  if (!/^[^\s@,;!]+@[^\s@,;!]+\.[^\s@,;!]+$/.test(address)) {
    throw new Error(
      `MAILWRIGHT_DMARC_RUA must be one address reports go to, e.g. mailto:dmarc@example.net; got "${value}".`,
    );
  }
  return { dmarcRua: `mailto:${address}` };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a whole number from 1 to 65535; got "${raw}".`);
  }
  return value;
}

function parseListen(value: string): Config['listen'] {
  // `[::1]:8025` for IPv6, `host:port` otherwise.
  const match = /^(?:\[(?<v6>[^\]]+)\]|(?<host>[^:]+)):(?<port>\d+)$/.exec(value);
  const port = Number(match?.groups?.port);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`MAILWRIGHT_LISTEN must be host:port, e.g. ${DEFAULT_LISTEN}; got "${value}".`);
  }
  return { host: match.groups?.v6 ?? match.groups?.host ?? '', port };
}

/**
 * MAILWRIGHT_DNS_PROVIDER picks the driver; each has its own variables, so secrets are never
 * squeezed into a URL where they would need escaping (base64 has `/` and `+`).
 */
function dnsProvider(env: NodeJS.ProcessEnv): { dnsProvider?: DnsProviderConfig } {
  const kind = env.MAILWRIGHT_DNS_PROVIDER?.trim();
  const need = (name: string, example: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`MAILWRIGHT_DNS_PROVIDER=${kind} needs ${name}, e.g. ${example}.`);
    return value;
  };
  if (!kind) return {};
  if (kind === 'rfc2136') {
    // The form `nsupdate -y` and `tsig-keygen` users know: algorithm:name:secret.
    const tsig = need('MAILWRIGHT_TSIG_KEY', 'hmac-sha256:mailwright:BASE64SECRET');
    const [algorithm, keyName, ...secret] = tsig.split(':');
    if (
      (algorithm !== 'hmac-sha256' && algorithm !== 'hmac-sha512') ||
      !keyName ||
      secret.length === 0
    ) {
      throw new Error(
        'MAILWRIGHT_TSIG_KEY must be algorithm:name:secret with algorithm hmac-sha256 or hmac-sha512.',
      );
    }
    return {
      dnsProvider: {
        kind,
        server: need('MAILWRIGHT_DNS_UPDATE_SERVER', '192.0.2.53 or 192.0.2.53:53'),
        keyName,
        keySecret: secret.join(':'),
        algorithm,
      },
    };
  }
  if (kind === 'powerdns') {
    return {
      dnsProvider: {
        kind,
        apiUrl: need('MAILWRIGHT_PDNS_API_URL', 'http://127.0.0.1:8081'),
        apiKey: need('MAILWRIGHT_PDNS_API_KEY', 'the api-key of pdns.conf'),
        serverId: env.MAILWRIGHT_PDNS_SERVER_ID?.trim() || 'localhost',
      },
    };
  }
  throw new Error(`MAILWRIGHT_DNS_PROVIDER must be rfc2136 or powerdns; got "${kind}".`);
}

function tlsFiles(env: NodeJS.ProcessEnv): Pick<Config, 'tls' | 'mailTls'> {
  const pair = (prefix: string, purpose: string) => {
    const certFile = env[`${prefix}_CERT`]?.trim();
    const keyFile = env[`${prefix}_KEY`]?.trim();
    if (!certFile && !keyFile) return undefined;
    if (!certFile || !keyFile) {
      throw new Error(
        `Set both ${prefix}_CERT and ${prefix}_KEY (PEM files) ${purpose}, or neither.`,
      );
    }
    return { certFile, keyFile };
  };
  const tls = pair('MAILWRIGHT_TLS', 'to serve HTTPS');
  const mailTls = pair('MAILWRIGHT_MAIL_TLS', 'for STARTTLS and IMAPS on the mail servers');
  return { ...(tls ? { tls } : {}), ...(mailTls ? { mailTls } : {}) };
}

function postmaster(env: NodeJS.ProcessEnv): Pick<Config, 'postmaster'> {
  const value = env.MAILWRIGHT_POSTMASTER?.trim();
  if (!value) return {};
  const checked = checkOperatorEmail(value);
  if (!checked.ok) throw new Error(`MAILWRIGHT_POSTMASTER: ${checked.message}`);
  return { postmaster: checked.value };
}
