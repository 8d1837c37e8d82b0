import { availableParallelism, hostname } from 'node:os';
import { DEFAULT_ACME_DIRECTORY_URL } from '../core/certificates.js';
import { DEFAULT_SMTP_PROBE } from '../core/host-checks.js';
import { DEFAULT_DMARC_POLICY, DEFAULT_MTA_STS_MODE, DMARC_POLICIES } from '../core/dns-plan.js';
import { DEFAULT_UNVERIFIED_DOMAIN_DAYS } from '../core/domain-claims.js';
import {
  DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
} from '../core/http-edge.js';
import type { MtaStsMode } from '../core/mta-sts.js';
import { DEFAULT_LISTEN, DEFAULT_PORTS } from '../mailstack/settings.js';
import { FIRST_ACCOUNT } from '../services/accounts/bootstrap-first-account.js';
import {
  accountName,
  databaseUrl,
  dmarcRua,
  emailAddress,
  hostName,
  httpUrl,
  ipAddress,
  ipAddresses,
  listenAddress,
  onOff,
  relayHost,
  relayHosts,
  secretKey,
  serverAddress,
  serverAddresses,
  spfIncludes,
  tsigKey,
} from './config-kinds.js';
import {
  oneOf,
  optional,
  text,
  wholeNumber,
  withComputedDefault,
  withDefault,
} from './config-schema.js';

/**
 * Every MAILWRIGHT_* variable, one entry each, in README's order: what it accepts, its default,
 * what it does and who uses it. config.ts turns the values into the `Config` the rest of the
 * program gets; `npm run docs:config` writes README's table from here, and test/config.test.ts
 * fails when the two differ or a variable's bad value is not refused at start-up.
 *
 * To add a variable: an entry here (a kind from config-schema.ts, or one below), its use in
 * config.ts, a line in deploy/env/mailwright.env, then `npm run docs:config`.
 */
export const VARIABLES = {
  MAILWRIGHT_DATABASE_URL: withDefault(databaseUrl(), {
    default: 'sqlite:./data/mailwright.db',
    description: 'the database: SQLite embedded, or PostgreSQL',
    usedBy: ['server', 'CLI', 'mailstack'],
    example: 'postgres://mailwright@10.0.0.5:5432/mailwright',
    // A PostgreSQL URL may hold the password.
    secret: true,
  }),
  MAILWRIGHT_LISTEN: withDefault(listenAddress(), {
    default: '127.0.0.1:8025',
    description: 'where the API and the web console listen',
    usedBy: ['server'],
    example: '[::]:443',
  }),
  MAILWRIGHT_TLS_CERT: optional(text('a PEM file'), {
    description:
      'the certificate that serves the API and the MTA-STS policy over HTTPS (with `MAILWRIGHT_TLS_KEY`)',
    usedBy: ['server'],
    example: '/etc/mailwright/tls.crt',
  }),
  MAILWRIGHT_TLS_KEY: optional(text('a PEM file'), {
    description: 'the private key of `MAILWRIGHT_TLS_CERT`',
    usedBy: ['server'],
    example: '/etc/mailwright/tls.key',
  }),
  MAILWRIGHT_HTTP_LISTEN: optional(listenAddress(), {
    description:
      'plain HTTP (port 80) answering ACME challenges and redirecting all else to HTTPS (docs/deployment.md)',
    usedBy: ['server', 'CLI'],
    example: '[::]:80',
  }),
  MAILWRIGHT_ACME_DIRECTORY_URL: withDefault(httpUrl(), {
    default: DEFAULT_ACME_DIRECTORY_URL,
    description: 'the ACME CA `mailwright cert issue` and renewals use (default Let’s Encrypt)',
    usedBy: ['server', 'CLI'],
    example: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  }),
  MAILWRIGHT_ACME_EMAIL: optional(emailAddress(), {
    description: 'the contact address of the ACME account',
    usedBy: ['server', 'CLI'],
    example: 'hostmaster@example.net',
  }),
  MAILWRIGHT_ACME_CA_FILE: optional(text('a PEM file'), {
    shown: "the system's CAs",
    description: "CA certificates the ACME server's HTTPS is trusted with (a private CA)",
    usedBy: ['server', 'CLI'],
    example: '/etc/mailwright/acme-ca.pem',
  }),
  MAILWRIGHT_REQUEST_TIMEOUT_SECONDS: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_REQUEST_TIMEOUT_SECONDS),
    description:
      'a request (headers within 10 s) must arrive in full within this, or it gets a 408',
    usedBy: ['server'],
    example: '60',
  }),
  MAILWRIGHT_MAX_CONNECTIONS_PER_CLIENT: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_MAX_CONNECTIONS_PER_CLIENT),
    description:
      'open connections per client IP; more are closed at once (raise it behind a reverse proxy)',
    usedBy: ['server'],
    example: '256',
  }),
  MAILWRIGHT_DNS_SERVERS: optional(serverAddresses(), {
    shown: "the system's resolvers",
    description: 'resolvers that verify domains and check their records',
    usedBy: ['server', 'CLI'],
    example: '1.1.1.1,9.9.9.9',
  }),
  MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_UNVERIFIED_DOMAIN_DAYS),
    description: 'days an added domain may stay unverified before its claim lapses (docs/dns.md)',
    usedBy: ['server', 'CLI'],
    example: '30',
  }),
  MAILWRIGHT_DATA_DIR: withDefault(text('a directory'), {
    default: './data',
    description: 'holds `secret.key` (created 0600 on first start) and the mail plane',
    usedBy: ['server', 'CLI', 'mailstack'],
    example: '/var/lib/mailwright',
  }),
  MAILWRIGHT_SECRET_KEY: optional(secretKey(), {
    shown: 'from `secret.key`',
    description: 'the key that seals credentials and DKIM keys; several machines share one',
    usedBy: ['server', 'CLI', 'mailstack'],
    example: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    secret: true,
  }),
  MAILWRIGHT_MAIL_HOST: withComputedDefault(hostName(), {
    default: () => hostname(),
    shown: "this machine's hostname",
    description:
      'IMAP/SMTP host in credentials CSVs, MX target and MTA-STS policies (must be an FQDN to serve a policy)',
    usedBy: ['server', 'CLI', 'mailstack'],
    example: 'mx.example.net',
  }),
  MAILWRIGHT_WEB_IPV4: optional(ipAddress(4), {
    description:
      "this server's public IPv4 address: the A record of domains redirected to a web page and of their www.",
    usedBy: ['server', 'CLI'],
    example: '203.0.113.10',
  }),
  MAILWRIGHT_WEB_IPV6: optional(ipAddress(6), {
    description:
      "this server's public IPv6 address: the AAAA record of redirected domains and www.",
    usedBy: ['server', 'CLI'],
    example: '2001:db8::10',
  }),
  MAILWRIGHT_WEB_CNAME: optional(hostName(), {
    description:
      "a host name of this server that redirected domains' www. is a CNAME to (instead of A/AAAA)",
    usedBy: ['server', 'CLI'],
    example: 'web.example.net',
  }),
  MAILWRIGHT_IMAP_PORT: withDefault(wholeNumber(1, 65535), {
    default: '993',
    description: 'IMAP port written into credentials CSVs and SRV records',
    usedBy: ['server', 'CLI'],
    example: '143',
  }),
  MAILWRIGHT_SMTP_PORT: withDefault(wholeNumber(1, 65535), {
    default: '587',
    description: 'submission port written into credentials CSVs and SRV records',
    usedBy: ['server', 'CLI'],
    example: '465',
  }),
  MAILWRIGHT_SPF_INCLUDES: optional(spfIncludes(), {
    description: "other senders' SPF domains added to each domain's SPF record (docs/dns.md)",
    usedBy: ['server', 'CLI'],
    example: '_spf.relay.example',
  }),
  MAILWRIGHT_DMARC_RUA: optional(dmarcRua(), {
    description: 'where DMARC aggregate and TLS-RPT reports go',
    usedBy: ['server', 'CLI'],
    example: 'mailto:dmarc@example.net',
  }),
  MAILWRIGHT_DMARC_POLICY: withDefault(oneOf(DMARC_POLICIES), {
    default: DEFAULT_DMARC_POLICY,
    description: 'the DMARC policy each domain publishes',
    usedBy: ['server', 'CLI'],
    example: 'reject',
  }),
  MAILWRIGHT_MTA_STS_MODE: withDefault(oneOf<MtaStsMode>(['testing', 'enforce', 'none']), {
    default: DEFAULT_MTA_STS_MODE,
    description: 'the MTA-STS policy served for each domain',
    usedBy: ['server', 'CLI'],
    example: 'enforce',
  }),
  MAILWRIGHT_JOB_LEASE_SECONDS: withDefault(wholeNumber(1, 65535), {
    default: '30',
    description: 'how soon another process takes over the job of a process that died',
    usedBy: ['server', 'CLI'],
    example: '60',
  }),
  MAILWRIGHT_HASH_CONCURRENCY: withComputedDefault(wholeNumber(1, 1024), {
    default: () => availableParallelism(),
    shown: 'the number of cores',
    description: 'password hashes a bulk job runs at once, each on a thread of its own',
    usedBy: ['server', 'CLI'],
    example: '2',
  }),
  MAILWRIGHT_DNS_PROVIDER: optional(oneOf(['rfc2136', 'powerdns'] as const), {
    description: 'publish DNS records automatically, through the variables below (docs/dns.md)',
    usedBy: ['server', 'CLI'],
    example: 'rfc2136',
  }),
  MAILWRIGHT_DNS_UPDATE_SERVER: optional(serverAddress(), {
    description: 'rfc2136: the DNS server that takes the updates',
    usedBy: ['server', 'CLI'],
    example: '192.0.2.53',
  }),
  MAILWRIGHT_TSIG_KEY: optional(tsigKey(), {
    description: 'rfc2136: the TSIG key updates are signed with, as `tsig-keygen` writes it',
    usedBy: ['server', 'CLI'],
    example: 'hmac-sha256:mailwright:c2VjcmV0Lw==',
    secret: true,
  }),
  MAILWRIGHT_PDNS_API_URL: optional(httpUrl(), {
    description: "powerdns: the PowerDNS server's HTTP API",
    usedBy: ['server', 'CLI'],
    example: 'http://127.0.0.1:8081',
  }),
  MAILWRIGHT_PDNS_API_KEY: optional(text('the `api-key` of pdns.conf'), {
    description: "powerdns: the API's key",
    usedBy: ['server', 'CLI'],
    example: 'the-api-key-of-pdns.conf',
    secret: true,
  }),
  MAILWRIGHT_PDNS_SERVER_ID: withDefault(text('a server id of the PowerDNS API'), {
    default: 'localhost',
    description: 'powerdns: the server of the API that holds the zones',
    usedBy: ['server', 'CLI'],
    example: 'localhost',
  }),
  MAILWRIGHT_POSTMASTER: optional(emailAddress(), {
    description: "where the mail plane sends every hostname's `postmaster@` and `abuse@`",
    usedBy: ['mailstack'],
    example: 'hostmaster@example.net',
  }),
  MAILWRIGHT_MAIL_TLS_CERT: optional(text('a PEM file'), {
    description:
      "the mail servers' certificate (STARTTLS, IMAPS), with `MAILWRIGHT_MAIL_TLS_KEY`; docs/deployment.md",
    usedBy: ['mailstack'],
    example: '/etc/letsencrypt/live/mx.example.net/fullchain.pem',
  }),
  MAILWRIGHT_MAIL_TLS_KEY: optional(text('a PEM file'), {
    description: 'the private key of `MAILWRIGHT_MAIL_TLS_CERT`',
    usedBy: ['mailstack'],
    example: '/etc/letsencrypt/live/mx.example.net/privkey.pem',
  }),
  MAILWRIGHT_MAIL_LISTEN: withDefault(ipAddresses(), {
    default: DEFAULT_LISTEN,
    description:
      "the addresses the mail servers bind (Postfix's `inet_interfaces`, Dovecot's `listen`), first the one `up` waits on",
    usedBy: ['mailstack'],
    example: '203.0.113.10,2001:db8::10',
  }),
  MAILWRIGHT_MAIL_SMTP_PORT: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_PORTS.smtp),
    description: 'the port inbound mail arrives on (the MX: 25 in production)',
    usedBy: ['mailstack'],
    example: '25',
  }),
  MAILWRIGHT_MAIL_SUBMISSION_PORT: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_PORTS.submission),
    description: 'the port of submission with STARTTLS and AUTH (587 in production)',
    usedBy: ['mailstack'],
    example: '587',
  }),
  MAILWRIGHT_MAIL_IMAP_PORT: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_PORTS.imap),
    description: 'the port of IMAP with STARTTLS (143 in production)',
    usedBy: ['mailstack'],
    example: '143',
  }),
  MAILWRIGHT_MAIL_IMAPS_PORT: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_PORTS.imaps),
    description: 'the port of IMAP over TLS, with `MAILWRIGHT_MAIL_TLS_CERT` (993 in production)',
    usedBy: ['mailstack'],
    example: '993',
  }),
  MAILWRIGHT_MAIL_SUBMISSIONS_PORT: withDefault(wholeNumber(1, 65535), {
    default: String(DEFAULT_PORTS.submissions),
    description:
      'the port of submission over TLS (RFC 8314), with `MAILWRIGHT_MAIL_TLS_CERT` (465 in production)',
    usedBy: ['mailstack'],
    example: '465',
  }),
  MAILWRIGHT_RELAY_HOST: optional(relayHost(), {
    description:
      "the relay (smarthost) every outbound message goes through instead of each domain's MX, e.g. where port 25 is blocked",
    usedBy: ['mailstack'],
    example: '[smtp.relay.example]:587',
  }),
  MAILWRIGHT_RELAY_PASSWORD_FILE: optional(text('a file'), {
    description:
      "relays' logins, a file only its owner may read (0600): `[host]:port user:password` lines (bare `user:password`: the global relay's); sent only over STARTTLS",
    usedBy: ['mailstack'],
    example: '/etc/mailwright/relay-password',
  }),
  MAILWRIGHT_DOMAIN_RELAYS: optional(relayHosts(), {
    shown: '`MAILWRIGHT_RELAY_HOST` alone',
    description:
      "relays an account may name as a domain's own (its logins are the operator's); any other is refused",
    usedBy: ['server', 'CLI'],
    example: '[smtp.relay.example]:587',
  }),
  MAILWRIGHT_DKIM_KEYS_DIR: optional(text('a directory'), {
    shown: 'the data dir with `-dkim` appended',
    description: "OpenDKIM's keys, in a directory only root may write to",
    usedBy: ['mailstack'],
    example: '/var/lib/mailwright-dkim',
  }),
  MAILWRIGHT_DOVECOT_CONFIG: optional(text('a file'), {
    shown: "the private mail plane's",
    description:
      'Dovecot configuration `usedMb` is read through (`doveadm quota get`) and changed logins are flushed from the auth cache through (`doveadm auth cache flush`)',
    usedBy: ['server', 'CLI'],
    example: '/etc/dovecot/dovecot.conf',
  }),
  MAILWRIGHT_DOCTOR_SMTP_PROBE: withDefault(listenAddress(), {
    default: DEFAULT_SMTP_PROBE,
    description: '`mailwright doctor` checks outbound port 25 by reaching this SMTP server',
    usedBy: ['CLI'],
    example: 'mx.example.org:25',
  }),
  MAILWRIGHT_DOCTOR_TIME_URL: optional(httpUrl(), {
    description:
      '`mailwright doctor` compares the clock with this server’s `Date` header; unset: not checked',
    usedBy: ['CLI'],
    example: 'https://www.debian.org/',
  }),
  MAILWRIGHT_ACCOUNT: withDefault(accountName(), {
    default: FIRST_ACCOUNT,
    description: 'the account CLI commands act as (same as `--account`)',
    usedBy: ['CLI'],
    example: 'acme',
  }),
  MAILWRIGHT_LOG_LEVEL: withDefault(
    oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    {
      default: 'info',
      description: "the server's log level (pino)",
      usedBy: ['server'],
      example: 'warn',
    },
  ),
  MAILWRIGHT_WEBHOOK_ALLOW_PRIVATE: withDefault(onOff(), {
    default: '0',
    description:
      '`1` lets webhooks reach loopback and private addresses (and plain http to this host); link-local and metadata addresses stay refused',
    usedBy: ['server'],
    example: '1',
  }),
  MAILWRIGHT_DEBUG: withDefault(onOff(), {
    default: '0',
    description: '`1` prints the stack of an unexpected error after its message',
    usedBy: ['CLI'],
    example: '1',
  }),
};
