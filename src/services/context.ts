import { createHmac } from 'node:crypto';
import type { DnsProvider } from '../dns/providers/dns-provider.js';
import { createCipher, type CredentialsCipher } from '../core/credentials-cipher.js';
import type { MailServer } from '../core/credentials-csv.js';
import type { DnsSettings } from '../core/dns-plan.js';
import type { TokenAccess } from '../core/token-scopes.js';
import type { RecordChecker } from '../dns/record-checker.js';
import type { TxtResolver } from '../dns/txt-resolver.js';
import type { Store } from '../store/database.js';

/** What every use case may touch. Tests build one over a real database and a real DNS server. */
export interface ServiceContext {
  store: Store;
  dns: TxtResolver;
  /** Injectable so tests can move time; production passes `() => new Date()`. */
  clock: () => Date;
  /** Seals credentials at rest and fingerprints request bodies, under the server's key. */
  secrets: Secrets;
  mailServer: MailServer;
  /** What each domain's planned DNS records contain (mail host, SPF includes, DMARC policy…). */
  dnsSettings: DnsSettings;
  /** Looks the planned records up through the configured resolvers. */
  recordChecker: RecordChecker;
  /** Where records are published automatically; absent when the user publishes by hand. */
  dnsProvider?: DnsProvider;
  jobLeaseSeconds: number;
  /** Password hashes bulk jobs run at once, each on a thread of the shared hash pool. */
  hashConcurrency: number;
  /** Days a domain may stay unverified; default DEFAULT_UNVERIFIED_DOMAIN_DAYS (core/domain-claims). */
  unverifiedDomainDays?: number;
  /** Told when a job is queued, so an idle runner starts it at once instead of at its next poll. */
  onJobQueued?: () => void;
  /** MB a mailbox stores, from the mail plane's Dovecot; absent or null: not known here. */
  mailboxUsage?: (address: string) => Promise<number | null>;
  /** The mail servers' side of a change; absent where this process has no mail plane. */
  mailPlane?: MailPlane;
  /** The host's own certificates (ACME); absent where this process has no data dir. */
  certificates?: CertificateAuthority;
  /**
   * The relays a domain may name as its own (MAILWRIGHT_DOMAIN_RELAYS and the global relay);
   * absent or empty: none. Each is a destination the mail host connects to and, if the relay
   * password file has a line for it, logs in to: an account may not choose one of its own.
   */
  domainRelays?: readonly string[];
  /** MAILWRIGHT_WEBHOOK_ALLOW_PRIVATE: webhooks may reach loopback and private addresses. */
  webhookAllowPrivate?: boolean;
  /** Resolves a webhook's host at each delivery; default the system's resolver (tests inject). */
  webhookLookup?: (host: string) => Promise<string[]>;
}

/** The certificates this host holds and obtains (wired by src/app to src/certificates). */
export interface CertificateAuthority {
  /** Every stored certificate, by name. */
  list(): Promise<{ name: string; notBefore: Date; notAfter: Date }[]>;
  /** Obtains a certificate for `name` from the CA and stores it, replacing any before it. */
  issue(name: string): Promise<void>;
}

/** What the services ask of the mail servers (wired by src/app to src/mailstack). */
export interface MailPlane {
  /**
   * Makes Dovecot forget the cached logins of these addresses, so a change to a mailbox's
   * password, state or quota counts from its next login on. Throws when Dovecot runs but
   * cannot be told.
   */
  flushAuth(addresses: readonly string[]): Promise<void>;
}

export interface Secrets {
  cipher: CredentialsCipher;
  /** HMAC-SHA256 hex: compares secret-bearing data without storing a guessable hash of it. */
  mac(data: string): string;
}

export function secretsFromKey(key: Buffer): Secrets {
  return {
    cipher: createCipher(key),
    mac: (data) => createHmac('sha256', key).update(data).digest('hex'),
  };
}

/** Who is acting: the account every read and write is scoped to, and a name for the audit log. */
export interface Actor {
  accountId: string;
  /** e.g. `token:<label> (<id>)`, `user:<email>` or `cli:<user>`; never a secret. */
  name: string;
  /**
   * Set when an API token acts: its scopes (checked per route by src/http/app.ts) and the root
   * domains it is limited to (checked by every service that reads or writes a domain, a mailbox,
   * a job or an event). Absent: the whole account (console users, the CLI).
   */
  access?: TokenAccess;
}

/** The root domains the actor is limited to; null for every domain of the account. */
export const actorDomains = (actor: Actor): readonly string[] | null =>
  actor.access?.domains ?? null;

export const nowIso = (ctx: ServiceContext): string => ctx.clock().toISOString();

/**
 * A domain-restricted token sees only the jobs and events it caused: others' may name any
 * domain of the account. Its audit name holds its token id, so no other actor shares it.
 */
export const ownOnly = (actor: Actor): { actor?: string } =>
  actorDomains(actor) === null ? {} : { actor: actor.name };
