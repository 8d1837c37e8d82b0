import { IssueCollector } from './errors.js';

/**
 * A mailbox's sending policy: how many recipients it may send to per UTC day and per rolling
 * hour, and an optional warm-up that starts a new mailbox low and raises its daily allowance by
 * `increment` each UTC day up to `max`. The mail plane enforces it at submission
 * (docs/mail-plane.md, "Sending limits").
 */
export interface Warmup {
  start: number;
  increment: number;
  max: number;
  /** UTC day (`YYYY-MM-DD`) the ramp counts from: day 0. */
  startDate: string;
}

export interface SendingPolicy {
  dailyLimit: number;
  hourlyLimit: number;
  warmup: Warmup | null;
}

/**
 * Platform defaults for a new mailbox when neither the request nor the account says otherwise.
 * High enough for an ordinary person's mail, far below what a leaked password would send; the
 * outreach guidance (20–30 a day for a new mailbox) is a warm-up an account sets as its default.
 */
export const DEFAULT_DAILY_SEND_LIMIT = 500;
export const DEFAULT_HOURLY_SEND_LIMIT = 100;

/** Recipients per day or hour a policy may name; 0 stops sending without disabling the mailbox. */
export const SEND_LIMIT_RANGE = [0, 100_000] as const;
/** Warm-up day-0 allowance and ceiling: at least one, so a ramp never starts at nothing. */
export const WARMUP_LIMIT_RANGE = [1, 100_000] as const;
export const WARMUP_INCREMENT_RANGE = [0, 100_000] as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The UTC day of `at`, `YYYY-MM-DD`. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whole UTC days from `startDate` to `at`; 0 on the start day and before it. */
export function rampDay(startDate: string, at: Date): number {
  const days = Math.floor((Date.parse(utcDay(at)) - Date.parse(startDate)) / DAY_MS);
  return Math.max(0, days);
}

/** The daily allowance on `at`: the daily limit, lowered by the warm-up ramp while it lasts. */
export function limitToday(policy: SendingPolicy, at: Date): number {
  if (!policy.warmup) return policy.dailyLimit;
  const { start, increment, max, startDate } = policy.warmup;
  const ramp = Math.min(max, start + increment * rampDay(startDate, at));
  return Math.min(policy.dailyLimit, ramp);
}

/** The windows a send at `at` counts in: its UTC day, its minute, and the rolling hour's start. */
export function sendWindows(at: Date): { day: string; minute: string; hourSince: string } {
  const minute = new Date(Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS);
  return {
    day: `${utcDay(at)}T00:00:00.000Z`,
    minute: minute.toISOString(),
    // Minute buckets newer than this make up the rolling hour, the current one included.
    hourSince: new Date(minute.getTime() - HOUR_MS + MINUTE_MS).toISOString(),
  };
}

/** When the daily count starts again: the next UTC midnight. */
export const dayResetsAt = (at: Date): Date =>
  new Date(Date.parse(`${utcDay(at)}T00:00:00.000Z`) + DAY_MS);

/** When the oldest minute still in the rolling hour leaves it. */
export const hourResetsAt = (oldestMinute: string): Date =>
  new Date(Date.parse(oldestMinute) + HOUR_MS);

export type SendVerdict =
  | { allowed: true; reachedLimit: 'daily' | 'hourly' | null }
  | { allowed: false; limit: 'daily' | 'hourly'; max: number };

/**
 * Whether one more recipient fits, given what was sent today and in the rolling hour; and when
 * it does, whether it uses up the last of a limit (the moment worth an audit event).
 */
export function judgeSend(
  policy: SendingPolicy,
  at: Date,
  sent: { today: number; thisHour: number },
): SendVerdict {
  const daily = limitToday(policy, at);
  if (sent.today >= daily) return { allowed: false, limit: 'daily', max: daily };
  if (sent.thisHour >= policy.hourlyLimit) {
    return { allowed: false, limit: 'hourly', max: policy.hourlyLimit };
  }
  const reachedLimit =
    sent.today + 1 === daily ? 'daily' : sent.thisHour + 1 === policy.hourlyLimit ? 'hourly' : null;
  return { allowed: true, reachedLimit };
}

/** The SMTP text of a refusal: which limit, how many, and when it resets. */
export function limitReachedText(
  address: string,
  limit: 'daily' | 'hourly',
  max: number,
  resetsAt: Date,
): string {
  const which = limit === 'daily' ? 'Daily' : 'Hourly';
  return `${which} sending limit of ${max} recipients reached for ${address}; it resets at ${resetsAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

/** What a request may say about a policy; what it leaves out keeps its current value. */
export interface SendingInput {
  dailyLimit?: number;
  hourlyLimit?: number;
  warmup?: { start: number; increment: number; max: number; startDate?: string } | null;
}

const inRange = (value: number, [min, max]: readonly [number, number]): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

/**
 * `input` laid over `base`, every field checked; issues are reported under `field` (e.g.
 * `sending.dailyLimit`). A warm-up without a start date starts on `today`.
 */
export function mergeSendingPolicy(
  base: SendingPolicy,
  input: SendingInput,
  today: string,
  issues: IssueCollector,
  field = 'sending',
): SendingPolicy {
  const policy: SendingPolicy = { ...base };
  const [min, max] = SEND_LIMIT_RANGE;
  for (const name of ['dailyLimit', 'hourlyLimit'] as const) {
    const value = input[name];
    if (value === undefined) continue;
    if (!inRange(value, SEND_LIMIT_RANGE)) {
      issues.add(
        `${field}.${name}`,
        'send_limit_out_of_range',
        `Enter a whole number of recipients from ${min} to ${max} (0 stops sending).`,
      );
    } else {
      policy[name] = value;
    }
  }
  if (input.warmup === null) policy.warmup = null;
  if (input.warmup) {
    const w = input.warmup;
    const [wMin, wMax] = WARMUP_LIMIT_RANGE;
    const [iMin, iMax] = WARMUP_INCREMENT_RANGE;
    const before = issues.issues.length;
    if (!inRange(w.start, WARMUP_LIMIT_RANGE)) {
      issues.add(
        `${field}.warmup.start`,
        'warmup_out_of_range',
        `Enter the day-0 allowance as a whole number from ${wMin} to ${wMax}, e.g. 10.`,
      );
    }
    if (!inRange(w.increment, WARMUP_INCREMENT_RANGE)) {
      issues.add(
        `${field}.warmup.increment`,
        'warmup_out_of_range',
        `Enter the daily increase as a whole number from ${iMin} to ${iMax}, e.g. 3.`,
      );
    }
    if (!inRange(w.max, WARMUP_LIMIT_RANGE) || w.max < w.start) {
      issues.add(
        `${field}.warmup.max`,
        'warmup_out_of_range',
        `Enter the ramp's ceiling as a whole number from the start (${w.start}) to ${wMax}.`,
      );
    }
    if (
      w.startDate !== undefined &&
      (!DATE.test(w.startDate) || utcDay(new Date(Date.parse(w.startDate) || 0)) !== w.startDate)
    ) {
      issues.add(
        `${field}.warmup.startDate`,
        'invalid_date',
        'Enter the ramp’s first day as a UTC date, YYYY-MM-DD, e.g. 2026-12-01.',
      );
    }
    if (issues.issues.length === before) {
      policy.warmup = {
        start: w.start,
        increment: w.increment,
        max: w.max,
        startDate: w.startDate ?? today,
      };
    }
  }
  return policy;
}

/** An account's defaults for new mailboxes (src/core/limits.ts); a warm-up start of 0 means none. */
export interface SendingDefaults {
  defaultDailySendLimit: number;
  defaultHourlySendLimit: number;
  defaultWarmupStart: number;
  defaultWarmupIncrement: number;
  defaultWarmupMax: number;
}

/** A new mailbox's policy from its account's defaults; its warm-up starts on `today`. */
export function policyFromDefaults(d: SendingDefaults, today: string): SendingPolicy {
  return {
    dailyLimit: d.defaultDailySendLimit,
    hourlyLimit: d.defaultHourlySendLimit,
    warmup:
      d.defaultWarmupStart === 0
        ? null
        : {
            start: d.defaultWarmupStart,
            increment: d.defaultWarmupIncrement,
            // The two defaults are set one flag at a time; a ceiling below the start is the start.
            max: Math.max(d.defaultWarmupMax, d.defaultWarmupStart),
            startDate: today,
          },
  };
}

/**
 * Checks a policy request on its own, before the account's defaults it will be laid over are
 * read (a bulk job applies it when it creates the mailboxes); the result is not a policy.
 */
export function checkSendingInput(input: SendingInput, issues: IssueCollector): void {
  const platform = { dailyLimit: 0, hourlyLimit: 0, warmup: null };
  mergeSendingPolicy(platform, input, utcDay(new Date(0)), issues);
}

/** Mailboxes one bulk policy change may name (a job item each). */
export const MAX_BULK_SENDING_MAILBOXES = 1_000;
