import { AppError, fail, ok, type Checked } from './errors.js';
import {
  DEFAULT_DAILY_SEND_LIMIT,
  DEFAULT_HOURLY_SEND_LIMIT,
  SEND_LIMIT_RANGE,
  WARMUP_INCREMENT_RANGE,
  WARMUP_LIMIT_RANGE,
} from './sending.js';

/** Targets of one alias or forward by default (`account limits --max-alias-targets`). */
export const DEFAULT_MAX_ALIAS_TARGETS = 50;
/** What an operator may set: Postfix expands at most 1,000 addresses per message by default. */
export const ALIAS_TARGETS_RANGE = [1, 1_000] as const;

/**
 * Platform limits per account. The defaults fit together: a hostname's default storage pool
 * (10,240 MB) holds its default slots (10 mailboxes) at the default mailbox quota (1,024 MB), and
 * a default bulk request (10) fills at most one hostname. An operator raises them per account.
 */
export interface Limits {
  maxDomains: number;
  maxSubdomainsPerDomain: number;
  maxMailboxesPerDomain: number;
  maxBulkCount: number;
  maxMailboxesPerHour: number;
  cooldownThreshold: number;
  cooldownSeconds: number;
  /** What a new mailbox's sending policy gets when its request names none (core/sending.ts). */
  defaultDailySendLimit: number;
  defaultHourlySendLimit: number;
  /** 0: new mailboxes get no warm-up. */
  defaultWarmupStart: number;
  defaultWarmupIncrement: number;
  defaultWarmupMax: number;
  /** Targets of one alias, catch-all or mailbox forward (core/mail-routing.ts). */
  maxAliasTargets: number;
}

export type LimitName = keyof Limits;

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxDomains: 50,
  maxSubdomainsPerDomain: 20,
  maxMailboxesPerDomain: 10,
  maxBulkCount: 10,
  maxMailboxesPerHour: 200,
  cooldownThreshold: 5,
  cooldownSeconds: 300,
  defaultDailySendLimit: DEFAULT_DAILY_SEND_LIMIT,
  defaultHourlySendLimit: DEFAULT_HOURLY_SEND_LIMIT,
  defaultWarmupStart: 0,
  defaultWarmupIncrement: 0,
  defaultWarmupMax: DEFAULT_DAILY_SEND_LIMIT,
  maxAliasTargets: DEFAULT_MAX_ALIAS_TARGETS,
};

/** Slots of one hostname. */
export const MAILBOX_LIMIT_RANGE = [1, 100] as const;

/** Inclusive ranges an operator may set, so a typo cannot switch a limit off. */
export const LIMIT_RANGES: Readonly<Record<LimitName, readonly [number, number]>> = {
  maxDomains: [0, 100_000],
  maxSubdomainsPerDomain: [0, 1_000],
  // No account may allow more slots than one hostname can hold.
  maxMailboxesPerDomain: MAILBOX_LIMIT_RANGE,
  maxBulkCount: [1, 10_000],
  maxMailboxesPerHour: [0, 1_000_000],
  cooldownThreshold: [0, 10_000],
  cooldownSeconds: [0, 86_400],
  defaultDailySendLimit: SEND_LIMIT_RANGE,
  defaultHourlySendLimit: SEND_LIMIT_RANGE,
  defaultWarmupStart: [0, WARMUP_LIMIT_RANGE[1]],
  defaultWarmupIncrement: WARMUP_INCREMENT_RANGE,
  defaultWarmupMax: WARMUP_LIMIT_RANGE,
  maxAliasTargets: ALIAS_TARGETS_RANGE,
};

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as LimitName[];

/** Minutes between the waves of a staged bulk request: at most a day. */
export const STAGE_INTERVAL_MINUTES_RANGE = [1, 1_440] as const;

/** Storage pool of one hostname. */
export const DEFAULT_DOMAIN_QUOTA_MB = 10_240;
export const DOMAIN_QUOTA_RANGE = [10, 10_240_000] as const;

/** Bulk deletes are destructive: one accepted request of each kind per five minutes. */
export const BULK_DELETE_COOLDOWN_SECONDS = 300;
/** "one request per 5 minutes", as help texts say it. */
export const BULK_DELETE_COOLDOWN_TEXT = `one request per ${BULK_DELETE_COOLDOWN_SECONDS / 60} minutes`;
export const MAX_BULK_DELETE_DOMAINS = 10;
export const MAX_BULK_DELETE_MAILBOXES = 100;
/**
 * Sub-domain labels one request may add. Each label is its own transaction under the account
 * lock plus a DKIM key, so the list is bounded before any query: 100 is five times the default
 * maxSubdomainsPerDomain and a tenth of the highest an operator may set.
 */
export const MAX_SUBDOMAIN_LABELS = 100;
/** The same labels as lines of one text: up to 63 characters each, with room for spaces. */
export const MAX_SUBDOMAIN_LABELS_TEXT = MAX_SUBDOMAIN_LABELS * 128;

/**
 * Root domains one request may add. Each name is its own transaction under the account lock
 * plus a DKIM key, like a sub-domain label; 100 covers the largest fleets an agency sets up at
 * once (20–100 domains) and twice the default maxDomains, which still caps the account.
 */
export const MAX_DOMAIN_NAMES = 100;
/** The same names as lines of one text: up to 253 characters each, with room for a pasted URL. */
export const MAX_DOMAIN_NAMES_TEXT = MAX_DOMAIN_NAMES * 512;

/**
 * What a request listing more items than `max` is told, without a closing period: the HTTP
 * schemas end it as they end every schema message.
 */
export const tooManyItemsMessage = (max: number, what: string): string =>
  `Send at most ${max} ${what} per request`;

/** Refuses a list longer than `max` before it costs a query. */
export function assertListSize(field: string, count: number, max: number, what: string): void {
  if (count <= max) return;
  const message = `${tooManyItemsMessage(max, what)}; this one has ${count}.`;
  throw new AppError('validation', 'too_many_items', message, [
    { field, code: 'too_many_items', message },
  ]);
}

/** `maxBulkCount` → `max-bulk-count`, the CLI flag of each limit. */
export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Refuses a request that would take usage past a maximum, before anything is written. The
 * message names the limit, where the account stands and what it can still do.
 */
export function assertWithinLimit(check: {
  limit: string;
  field: string;
  usage: number;
  requested: number;
  max: number;
  unit?: string;
  hint?: string;
  /** Defaults to `limit_exceeded`. */
  code?: string;
}): void {
  const { limit, field, usage, requested, max } = check;
  if (usage + requested <= max) return;
  const unit = check.unit ?? '';
  const left = Math.max(0, max - usage);
  const message =
    `${limit} is ${max}${unit}: ${usage}${unit} in use, so ${requested}${unit} more would exceed it` +
    ` (${left}${unit} left). ${check.hint ?? 'Lower the number or ask the operator to raise the limit.'}`;
  const code = check.code ?? 'limit_exceeded';
  throw new AppError('validation', code, message, [{ field, code, message }], {
    limit,
    usage,
    max,
    requested,
  });
}

/** A hostname's slots: 1–100 and never above the account's maxMailboxesPerDomain. */
export function checkMailboxLimit(value: number, accountMax: number): Checked<number> {
  const [min, max] = MAILBOX_LIMIT_RANGE;
  if (!Number.isInteger(value) || value < min || value > max) {
    return fail('mailbox_limit_out_of_range', `Enter a mailbox limit from ${min} to ${max}.`);
  }
  if (value > accountMax) {
    return fail(
      'limit_exceeded',
      `maxMailboxesPerDomain is ${accountMax} for this account: enter at most ${accountMax}, or ask the operator to raise it.`,
    );
  }
  return ok(value);
}

export function checkDomainQuotaMb(value: number): Checked<number> {
  const [min, max] = DOMAIN_QUOTA_RANGE;
  if (!Number.isInteger(value) || value < min || value > max) {
    return fail(
      'quota_out_of_range',
      `Enter a storage pool from ${min} to ${max} MB (default ${DEFAULT_DOMAIN_QUOTA_MB}).`,
    );
  }
  return ok(value);
}
