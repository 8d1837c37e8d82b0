/** Shapes of the REST API (openapi.json) as the console reads them. */

export interface FieldIssue {
  /** Dotted path of the input field, e.g. `name` or `password.value`. */
  field: string;
  code: string;
  message: string;
}

/** RFC 9457 problem details, with the extras some errors carry (retryAt, host, found…). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldIssue[];
  [extra: string]: unknown;
}

export interface Session {
  user: { id: string; email: string };
  account: { id: string; name: string };
  csrfToken: string;
}

export type DnsStatus = 'ok' | 'missing' | 'mismatch' | 'error' | 'unchecked';
export type RecordType = 'TXT' | 'MX' | 'SRV' | 'CNAME';

export interface Domain {
  id: string;
  name: string;
  unicodeName: string;
  kind: 'root' | 'subdomain';
  parent: string | null;
  status: 'pending' | 'verified';
  verification: { type: 'TXT'; host: string; value: string };
  mailboxLimit: number;
  quotaMb: number;
  mailboxCount: number;
  dns: {
    ready: boolean;
    checkedAt: string | null;
    failing: { type: RecordType; host: string; status: DnsStatus; hint: string }[];
  };
  createdAt: string;
}

export interface DnsRecord {
  type: RecordType;
  host: string;
  value: string;
  ttl: number;
  purpose: string;
  status: DnsStatus;
  found: string[];
  hint: string;
}

export interface DnsPlan {
  records: DnsRecord[];
  checkedAt: string | null;
}

export interface Mailbox {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  name: string;
  quotaMb: number;
  active: boolean;
  createdAt: string;
}

export interface Job {
  id: string;
  kind: 'bulk_mailboxes' | 'import_mailboxes' | 'bulk_delete_domains' | 'bulk_delete_mailboxes';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  total: number;
  done: number;
  failed: number;
  errors: { address: string; code: string; message: string }[];
  credentials: 'none' | 'available' | 'downloaded' | 'expired';
  nextRunAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface Cooldown {
  active: boolean;
  retryAt: string | null;
  seconds: number;
}

export interface LimitsOverview {
  limits: {
    maxDomains: number;
    maxSubdomainsPerDomain: number;
    maxMailboxesPerDomain: number;
    maxBulkCount: number;
    maxMailboxesPerHour: number;
    cooldownThreshold: number;
    cooldownSeconds: number;
  };
  usage: { domains: number; mailboxesLastHour: number };
  cooldowns: {
    bulkMailboxes: Cooldown;
    bulkDeleteDomains: Cooldown;
    bulkDeleteMailboxes: Cooldown;
  };
}

interface Usage {
  usage: number;
  max: number;
  after: number;
}

export interface BulkPreview {
  addresses: string[];
  limits: {
    maxBulkCount: { max: number; requested: number };
    mailboxesPerDomain: Usage & { domain: string };
    domainQuotaMb: Usage & { domain: string };
    mailboxesPerHour: Usage;
    cooldown: Cooldown & { startsAfterThis: boolean };
  };
}

export type PasswordChoice = { generate: true } | { generate: false; value: string };

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
