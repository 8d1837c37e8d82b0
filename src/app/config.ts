import { DEFAULT_DNS_TTL, type DnsSettings } from '../core/dns-plan.js';
import { DEFAULT_EDGE_LIMITS, type EdgeLimits } from '../core/http-edge.js';
import type { DnsProviderConfig } from '../dns/providers/create-provider.js';
import { readVariables, type Values } from './config-schema.js';
import { VARIABLES } from './config-variables.js';

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
  /**
   * Where the mail servers listen: the env file's, so `mailstack up`, `status`, `render`,
   * `doctor` and the units agree without options (which still override them for one run).
   */
  mailPlane: {
    listen: string;
    ports: { smtp: number; submission: number; imap: number; imaps: number; submissions: number };
  };
  /** Where certificates are obtained (`mailwright cert`, renewals of the running server). */
  acme: { directoryUrl: string; email?: string; caFile?: string };
  /** The plain-HTTP listener answering ACME challenges (MAILWRIGHT_HTTP_LISTEN), if any. */
  httpListen?: { host: string; port: number };
  /** What `mailwright doctor` probes: an SMTP server out on port 25, a clock to compare with. */
  doctor: { smtpProbe: { host: string; port: number }; timeUrl?: string };
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
  /** The relay outbound mail goes through, and the file of its and domains' relays' logins. */
  relay?: { host?: string; passwordFile?: string };
  /** What a domain's relayHost may be: MAILWRIGHT_DOMAIN_RELAYS and the global relay. */
  domainRelays: string[];
  /** Where the mail plane sends every hostname's postmaster@ and abuse@ (RFC 2142). */
  postmaster?: string;
  /** OpenDKIM's keys (MAILWRIGHT_DKIM_KEYS_DIR); by default `<data dir>-dkim`. */
  dkimKeysDir?: string;
  /** MAILWRIGHT_SECRET_KEY; unset: the key file in the data dir (app/secret-key.ts). */
  secretKey?: Buffer;
  /** Password hashes bulk jobs run at once, each on a thread of the hash pool. */
  hashConcurrency: number;
  /** Webhooks may reach loopback and private addresses (MAILWRIGHT_WEBHOOK_ALLOW_PRIVATE). */
  webhookAllowPrivate: boolean;
  logLevel: Settings['MAILWRIGHT_LOG_LEVEL'];
  /** The account commands act as unless `--account` says otherwise; stacks of unexpected errors. */
  cli: { account: string; debug: boolean };
}

type Settings = Values<typeof VARIABLES>;

/**
 * Reads and checks every variable of config-variables.ts (a bad value of any of them fails here,
 * naming it) and applies the rules that tie variables together.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const v = readVariables(VARIABLES, env);
  // The host mail clients reach; a real deployment sets it (e.g. mx.example.net).
  const mailHost = v.MAILWRIGHT_MAIL_HOST;
  const imapPort = v.MAILWRIGHT_IMAP_PORT;
  const smtpPort = v.MAILWRIGHT_SMTP_PORT;
  return {
    databaseUrl: v.MAILWRIGHT_DATABASE_URL,
    listen: v.MAILWRIGHT_LISTEN,
    edge: {
      ...DEFAULT_EDGE_LIMITS,
      requestTimeoutMs: v.MAILWRIGHT_REQUEST_TIMEOUT_SECONDS * 1000,
      maxConnectionsPerClient: v.MAILWRIGHT_MAX_CONNECTIONS_PER_CLIENT,
    },
    ...tlsFiles(v),
    mailPlane: {
      listen: v.MAILWRIGHT_MAIL_LISTEN,
      ports: {
        smtp: v.MAILWRIGHT_MAIL_SMTP_PORT,
        submission: v.MAILWRIGHT_MAIL_SUBMISSION_PORT,
        imap: v.MAILWRIGHT_MAIL_IMAP_PORT,
        imaps: v.MAILWRIGHT_MAIL_IMAPS_PORT,
        submissions: v.MAILWRIGHT_MAIL_SUBMISSIONS_PORT,
      },
    },
    acme: {
      directoryUrl: v.MAILWRIGHT_ACME_DIRECTORY_URL,
      ...(v.MAILWRIGHT_ACME_EMAIL ? { email: v.MAILWRIGHT_ACME_EMAIL } : {}),
      ...(v.MAILWRIGHT_ACME_CA_FILE ? { caFile: v.MAILWRIGHT_ACME_CA_FILE } : {}),
    },
    ...(v.MAILWRIGHT_HTTP_LISTEN ? { httpListen: v.MAILWRIGHT_HTTP_LISTEN } : {}),
    doctor: {
      smtpProbe: v.MAILWRIGHT_DOCTOR_SMTP_PROBE,
      ...(v.MAILWRIGHT_DOCTOR_TIME_URL ? { timeUrl: v.MAILWRIGHT_DOCTOR_TIME_URL } : {}),
    },
    dnsServers: v.MAILWRIGHT_DNS_SERVERS ?? [],
    dataDir: v.MAILWRIGHT_DATA_DIR,
    ...(v.MAILWRIGHT_SECRET_KEY ? { secretKey: v.MAILWRIGHT_SECRET_KEY } : {}),
    mailServer: {
      imapHost: mailHost,
      imapPort,
      smtpHost: mailHost,
      smtpPort,
    },
    jobLeaseSeconds: v.MAILWRIGHT_JOB_LEASE_SECONDS,
    hashConcurrency: v.MAILWRIGHT_HASH_CONCURRENCY,
    webhookAllowPrivate: v.MAILWRIGHT_WEBHOOK_ALLOW_PRIVATE,
    unverifiedDomainDays: v.MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS,
    ...dnsProvider(v),
    ...relay(v),
    domainRelays: [
      ...new Set([
        ...(v.MAILWRIGHT_DOMAIN_RELAYS ?? []),
        ...(v.MAILWRIGHT_RELAY_HOST ? [v.MAILWRIGHT_RELAY_HOST] : []),
      ]),
    ],
    ...(v.MAILWRIGHT_POSTMASTER ? { postmaster: v.MAILWRIGHT_POSTMASTER } : {}),
    ...(v.MAILWRIGHT_DKIM_KEYS_DIR ? { dkimKeysDir: v.MAILWRIGHT_DKIM_KEYS_DIR } : {}),
    ...(v.MAILWRIGHT_DOVECOT_CONFIG ? { dovecotConfig: v.MAILWRIGHT_DOVECOT_CONFIG } : {}),
    dnsSettings: {
      // Records name it absolutely (`mx.example.net.`), so a trailing dot here would double.
      mailHost: mailHost.toLowerCase().replace(/\.$/, ''),
      imapPort,
      submissionPort: smtpPort,
      spfIncludes: v.MAILWRIGHT_SPF_INCLUDES ?? [],
      ...(v.MAILWRIGHT_DMARC_RUA ? { dmarcRua: v.MAILWRIGHT_DMARC_RUA } : {}),
      dmarcPolicy: v.MAILWRIGHT_DMARC_POLICY,
      mtaStsMode: v.MAILWRIGHT_MTA_STS_MODE,
      ttl: DEFAULT_DNS_TTL,
      web: {
        ...(v.MAILWRIGHT_WEB_IPV4 ? { ipv4: v.MAILWRIGHT_WEB_IPV4 } : {}),
        ...(v.MAILWRIGHT_WEB_IPV6 ? { ipv6: v.MAILWRIGHT_WEB_IPV6 } : {}),
        ...(v.MAILWRIGHT_WEB_CNAME
          ? { cname: v.MAILWRIGHT_WEB_CNAME.toLowerCase().replace(/\.$/, '') }
          : {}),
      },
    },
    logLevel: v.MAILWRIGHT_LOG_LEVEL,
    cli: { account: v.MAILWRIGHT_ACCOUNT, debug: v.MAILWRIGHT_DEBUG },
  };
}

/**
 * MAILWRIGHT_DNS_PROVIDER picks the driver; each has its own variables, so secrets are never
 * squeezed into a URL where they would need escaping (base64 has `/` and `+`).
 */
function dnsProvider(v: Settings): { dnsProvider?: DnsProviderConfig } {
  const kind = v.MAILWRIGHT_DNS_PROVIDER;
  const need = <T>(name: keyof Settings & string, value: T | undefined, example: string): T => {
    if (value === undefined) {
      throw new Error(`MAILWRIGHT_DNS_PROVIDER=${kind} needs ${name}, e.g. ${example}.`);
    }
    return value;
  };
  if (kind === 'rfc2136') {
    const tsig = need(
      'MAILWRIGHT_TSIG_KEY',
      v.MAILWRIGHT_TSIG_KEY,
      'hmac-sha256:mailwright:BASE64SECRET',
    );
    return {
      dnsProvider: {
        kind,
        server: need(
          'MAILWRIGHT_DNS_UPDATE_SERVER',
          v.MAILWRIGHT_DNS_UPDATE_SERVER,
          '192.0.2.53 or 192.0.2.53:53',
        ),
        ...tsig,
      },
    };
  }
  if (kind === 'powerdns') {
    return {
      dnsProvider: {
        kind,
        apiUrl: need('MAILWRIGHT_PDNS_API_URL', v.MAILWRIGHT_PDNS_API_URL, 'http://127.0.0.1:8081'),
        apiKey: need(
          'MAILWRIGHT_PDNS_API_KEY',
          v.MAILWRIGHT_PDNS_API_KEY,
          'the api-key of pdns.conf',
        ),
        serverId: v.MAILWRIGHT_PDNS_SERVER_ID,
      },
    };
  }
  return {};
}

/** The password file alone is fine: it may hold only the logins of domains' own relays. */
function relay(v: Settings): Pick<Config, 'relay'> {
  const host = v.MAILWRIGHT_RELAY_HOST;
  const passwordFile = v.MAILWRIGHT_RELAY_PASSWORD_FILE;
  if (!host && !passwordFile) return {};
  return { relay: { ...(host ? { host } : {}), ...(passwordFile ? { passwordFile } : {}) } };
}

function tlsFiles(v: Settings): Pick<Config, 'tls' | 'mailTls'> {
  type File =
    | 'MAILWRIGHT_TLS_CERT'
    | 'MAILWRIGHT_TLS_KEY'
    | 'MAILWRIGHT_MAIL_TLS_CERT'
    | 'MAILWRIGHT_MAIL_TLS_KEY';
  const pair = (cert: File, key: File, purpose: string) => {
    const certFile = v[cert];
    const keyFile = v[key];
    if (!certFile && !keyFile) return undefined;
    if (!certFile || !keyFile) {
      throw new Error(`Set both ${cert} and ${key} (PEM files) ${purpose}, or neither.`);
    }
    return { certFile, keyFile };
  };
  const tls = pair('MAILWRIGHT_TLS_CERT', 'MAILWRIGHT_TLS_KEY', 'to serve HTTPS');
  const mailTls = pair(
    'MAILWRIGHT_MAIL_TLS_CERT',
    'MAILWRIGHT_MAIL_TLS_KEY',
    'for STARTTLS and IMAPS on the mail servers',
  );
  return { ...(tls ? { tls } : {}), ...(mailTls ? { mailTls } : {}) };
}
