import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Column conventions, identical on SQLite and PostgreSQL so one set of queries serves both:
 * ids are random UUID text, timestamps are ISO-8601 UTC text (sortable, readable in a shell),
 * booleans are integers 0/1 (the mail servers' SQL lookups compare `active = 1` on either).
 */
/** Limit columns are NULL while the account uses the platform default (src/core/limits.ts). */
export interface AccountTable {
  id: string;
  name: string;
  created_at: string;
  max_domains: number | null;
  max_subdomains_per_domain: number | null;
  max_mailboxes_per_domain: number | null;
  max_bulk_count: number | null;
  max_mailboxes_per_hour: number | null;
  cooldown_threshold: number | null;
  cooldown_seconds: number | null;
  default_daily_send_limit: number | null;
  default_hourly_send_limit: number | null;
  default_warmup_start: number | null;
  default_warmup_increment: number | null;
  default_warmup_max: number | null;
  max_alias_targets: number | null;
  /** 1 when every operator must sign in with TOTP (src/core/totp.ts). */
  require_totp: Generated<number>;
}

export interface ApiTokenTable {
  id: string;
  account_id: string;
  /** SHA-256 hex of the token; the token itself is shown once and never stored. */
  token_hash: string;
  label: string;
  created_at: string;
  /** Refreshed at most once a minute, so authenticating stays a read on most requests. */
  last_used_at: Generated<string | null>;
  /** JSON array of scopes (src/core/token-scopes.ts); `["admin"]` for tokens made before them. */
  scopes: Generated<string>;
  /** JSON array of A-label root domains the token is limited to; NULL for every domain. */
  domains: string | null;
}

export interface DomainTable {
  id: string;
  account_id: string;
  /** A-label form, lowercase; unique across all accounts. */
  name: string;
  unicode_name: string;
  kind: 'root' | 'subdomain';
  parent_id: string | null;
  status: 'pending' | 'verified';
  verification_token: string;
  created_at: string;
  verified_at: string | null;
  /** Mailbox slots; NULL follows the account's maxMailboxesPerDomain. */
  mailbox_limit: number | null;
  /** Storage pool shared by the domain's mailboxes. */
  quota_mb: Generated<number>;
  /** When DNS was last checked live, and the JSON list of records that were not ok then. */
  dns_checked_at: Generated<string | null>;
  dns_failing: Generated<string | null>;
  /** Root domains only: the https URL web requests for the domain and `www.` are sent to. */
  redirect_to: Generated<string | null>;
  /** Root domains only: the target of `track.<domain> CNAME`. */
  tracking_cname: Generated<string | null>;
  /** `[host]:port` its senders' mail leaves through; NULL: a sub-domain's root's, or none. */
  relay_host: Generated<string | null>;
}

export interface MailboxTable {
  id: string;
  account_id: string;
  domain_id: string;
  local_part: string;
  /** `local_part@domain`, unique; the key the mail servers look up. */
  address: string;
  name: string;
  password_hash: string;
  quota_mb: number;
  active: number;
  created_at: string;
  updated_at: string;
  /** Recipients per UTC day and per rolling hour (src/core/sending.ts). */
  send_daily_limit: Generated<number>;
  send_hourly_limit: Generated<number>;
  /** The warm-up ramp: all four set, or all NULL for none. */
  warmup_start: number | null;
  warmup_increment: number | null;
  warmup_max: number | null;
  warmup_start_date: string | null;
  /** NULL: no forwarding; 1: forward and keep a copy; 0: forward only (mailbox_forwards). */
  forward_keep_copy: Generated<number | null>;
  /** 1: one message could overfill it, so Postfix asks quota-status (src/core/quota-watch.ts). */
  quota_nearly_full: Generated<number>;
}

/** Recipients a mailbox sent in one window, counted by the mail plane's policy service. */
export interface SendCountTable {
  mailbox_id: string;
  period: 'day' | 'minute';
  window_start: string;
  count: number;
}

export interface EventTable {
  id: Generated<number>;
  account_id: string;
  actor: string;
  action: string;
  target: string;
  /** JSON object of non-secret facts. */
  details: string;
  created_at: string;
}

export type JobKind =
  | 'bulk_mailboxes'
  | 'import_mailboxes'
  | 'bulk_delete_domains'
  | 'bulk_delete_mailboxes'
  | 'bulk_set_sending'
  | 'bulk_set_forwarding'
  | 'verify_domains'
  | 'publish_dns'
  | 'export_mailboxes';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobTable {
  id: string;
  account_id: string;
  kind: JobKind;
  status: JobStatus;
  total: number;
  /** Items accepted to run, i.e. `total` less rows refused at upload; cooldowns weigh this. */
  planned: number;
  done: Generated<number>;
  failed: Generated<number>;
  /** JSON of the request's non-secret parameters. */
  params: string;
  actor: string;
  idempotency_key: string | null;
  /** HMAC of the request body under the server key: compares bodies without keeping them. */
  request_hash: string | null;
  credentials: 'none' | 'available' | 'downloaded' | 'expired';
  /** HMAC of the session or token that downloaded the credentials first. */
  credentials_holder: string | null;
  /** Set while a downloaded job still keeps its sealed passwords for that holder to retry. */
  credentials_retry_until: string | null;
  stage_size: number | null;
  stage_interval_seconds: number | null;
  /** A staged job's next wave may not start before this. */
  next_run_at: string | null;
  /** The worker holding the job and until when; an expired lease means the worker died. */
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface JobItemTable {
  job_id: string;
  seq: number;
  account_id: string;
  /**
   * The hostname a mailbox will be created on. Set only on creating items: a pending item with
   * a domain is a reserved slot that every limit counts.
   */
  domain_id: string | null;
  /** The address or domain name the item creates or deletes. */
  target: string;
  local_part: string | null;
  name: string | null;
  quota_mb: number | null;
  wave: Generated<number>;
  /** `cancelled`: still pending when its job was cancelled, so never carried out. */
  status: 'pending' | 'done' | 'failed' | 'cancelled';
  error_code: string | null;
  error_message: string | null;
  /** AES-256-GCM sealed password until the credentials are downloaded or expire. */
  sealed_password: string | null;
}

export interface DkimKeyTable {
  id: string;
  domain_id: string;
  /** e.g. `mw202611`; published at `<selector>._domainkey.<domain>`. */
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  /** PKCS#8 PEM sealed with the server key (AES-256-GCM); never stored in the clear. */
  sealed_private_key: string;
  /** The record's `p=` value, base64. */
  public_key: string;
  created_at: string;
  /** Set once the selector is no longer published. */
  retired_at: string | null;
}

/** A person who signs in to the web console; acts for one account. */
export interface UserTable {
  id: string;
  account_id: string;
  /** Lowercase; unique across all accounts. */
  email: string;
  /** Same argon2id `{ARGON2ID}` form as mailbox passwords (src/core/password-hash.ts). */
  password_hash: string;
  created_at: string;
  /** Base32 TOTP secret sealed with the server key; NULL without TOTP. */
  totp_secret_sealed: Generated<string | null>;
  /** NULL while the secret waits for its first code: TOTP is on once this is set. */
  totp_confirmed_at: Generated<string | null>;
  /** The last TOTP time step accepted: a code of that step or earlier is refused (replay). */
  totp_last_step: Generated<number | null>;
}

export interface RecoveryCodeTable {
  user_id: string;
  /** SHA-256 hex of the normalised code; deleted when used. */
  code_hash: string;
}

export interface SessionTable {
  /** SHA-256 hex of the cookie's secret; the secret itself is never stored. */
  id: string;
  user_id: string;
  /** Sent back in X-CSRF-Token by the console on every state-changing request. */
  csrf_token: string;
  created_at: string;
  /** Absolute end, however active the session is. */
  expires_at: string;
  /** Slides the idle timeout; refreshed at most once a minute. */
  last_seen_at: string;
}

/** A sign-in that has not succeeded: counted per email and per client address. */
export interface LoginAttemptTable {
  id: string;
  email: string;
  ip: string;
  created_at: string;
}

/** An alias (`local@host`) or a hostname's catch-all (`@host`). */
export interface AliasTable {
  id: string;
  account_id: string;
  domain_id: string;
  address: string;
  created_at: string;
  updated_at: string;
}

/** One target of an alias or a forwarding mailbox, in the order given. */
export interface RouteTargetTable {
  position: number;
  target: string;
}

export interface WebhookTable {
  id: string;
  account_id: string;
  url: string;
  /** JSON array of event types (src/core/webhooks.ts). */
  events: string;
  /** The signing secret, sealed with the server key (core/credentials-cipher.ts). */
  secret_sealed: string;
  created_at: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** The outbox: one row per event and subscribed endpoint, written with the event. */
export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  event_type: string;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
}

/** The single row (id 1) naming the server key, see migrations/021-server-key-check.ts. */
export interface ServerKeyCheckTable {
  id: number;
  key_check: string;
  created_at: string;
}

/** A mailbox's app password (src/core/app-password.ts); the mail plane reads it by public_id. */
export interface AppPasswordTable {
  id: string;
  mailbox_id: string;
  public_id: string;
  label: string;
  password_hash: string;
  created_at: string;
  last_used_at: string | null;
}

/** A job runner's latest sign of life, see migrations/023-runner-heartbeats.ts. */
export interface RunnerHeartbeatTable {
  runner_id: string;
  beat_at: string;
}

export interface Database {
  accounts: AccountTable;
  api_tokens: ApiTokenTable;
  domains: DomainTable;
  mailboxes: MailboxTable;
  events: EventTable;
  jobs: JobTable;
  job_items: JobItemTable;
  dkim_keys: DkimKeyTable;
  users: UserTable;
  sessions: SessionTable;
  login_attempts: LoginAttemptTable;
  send_counts: SendCountTable;
  aliases: AliasTable;
  alias_targets: RouteTargetTable & { alias_id: string };
  mailbox_forwards: RouteTargetTable & { mailbox_id: string };
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  recovery_codes: RecoveryCodeTable;
  mailbox_app_passwords: AppPasswordTable;
  server_key_check: ServerKeyCheckTable;
  runner_heartbeats: RunnerHeartbeatTable;
}

export type Account = Selectable<AccountTable>;
export type DomainRow = Selectable<DomainTable>;
export type NewDomainRow = Insertable<DomainTable>;
export type DomainUpdate = Updateable<DomainTable>;
export type MailboxRow = Selectable<MailboxTable>;
export type NewMailboxRow = Insertable<MailboxTable>;
export type MailboxUpdate = Updateable<MailboxTable>;
export type EventRow = Selectable<EventTable>;
export type JobRow = Selectable<JobTable>;
export type NewJobRow = Insertable<JobTable>;
export type JobItemRow = Selectable<JobItemTable>;
export type NewJobItemRow = Insertable<JobItemTable>;
export type DkimKeyRow = Selectable<DkimKeyTable>;
export type NewDkimKeyRow = Insertable<DkimKeyTable>;
export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type WebhookRow = Selectable<WebhookTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
