import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Column conventions, identical on SQLite and PostgreSQL so one set of queries serves both:
 * ids are random UUID text, timestamps are ISO-8601 UTC text (sortable, readable in a shell),
 * booleans are integers 0/1 (the mail servers' SQL lookups compare `active = 1` on either).
 */
export interface AccountTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiTokenTable {
  id: string;
  account_id: string;
  /** SHA-256 hex of the token; the token itself is shown once and never stored. */
  token_hash: string;
  label: string;
  created_at: string;
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

export interface Database {
  accounts: AccountTable;
  api_tokens: ApiTokenTable;
  domains: DomainTable;
  mailboxes: MailboxTable;
  events: EventTable;
}

export type Account = Selectable<AccountTable>;
export type DomainRow = Selectable<DomainTable>;
export type NewDomainRow = Insertable<DomainTable>;
export type MailboxRow = Selectable<MailboxTable>;
export type NewMailboxRow = Insertable<MailboxTable>;
export type MailboxUpdate = Updateable<MailboxTable>;
export type EventRow = Selectable<EventTable>;
