import { limitToday, rampDay, sendWindows, type SendingPolicy } from '../../../core/sending.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/schema.js';
import { sentCounts, type PolicyRow } from '../../../store/send-counts.js';

/** The policy as the API shows it, with where the mailbox stands today. */
export interface SendingView extends SendingPolicy {
  sentToday: number;
  limitToday: number;
  sentThisHour: number;
  /** Days since the warm-up started (0 on its first day); null without a warm-up. */
  rampDay: number | null;
}

export function toSendingPolicy(row: PolicyRow): SendingPolicy {
  return {
    dailyLimit: row.send_daily_limit,
    hourlyLimit: row.send_hourly_limit,
    warmup:
      row.warmup_start === null
        ? null
        : {
            start: row.warmup_start,
            increment: row.warmup_increment!,
            max: row.warmup_max!,
            startDate: row.warmup_start_date!,
          },
  };
}

export function toPolicyColumns(policy: SendingPolicy): PolicyRow {
  return {
    send_daily_limit: policy.dailyLimit,
    send_hourly_limit: policy.hourlyLimit,
    warmup_start: policy.warmup?.start ?? null,
    warmup_increment: policy.warmup?.increment ?? null,
    warmup_max: policy.warmup?.max ?? null,
    warmup_start_date: policy.warmup?.startDate ?? null,
  };
}

const NOTHING_SENT = { today: 0, thisHour: 0 };

/** A mailbox's policy and where it stands on `now`, given what it sent today and this hour. */
export function sendingView(
  row: PolicyRow,
  sent: { today: number; thisHour: number },
  now: Date,
): SendingView {
  const policy = toSendingPolicy(row);
  // Field by field rather than a spread: a page of 100 builds a hundred of these.
  return {
    dailyLimit: policy.dailyLimit,
    hourlyLimit: policy.hourlyLimit,
    warmup: policy.warmup,
    sentToday: sent.today,
    limitToday: limitToday(policy, now),
    sentThisHour: sent.thisHour,
    rampDay: policy.warmup ? rampDay(policy.warmup.startDate, now) : null,
  };
}

/**
 * Each mailbox's sending view, in one query for the whole list; none for mailboxes just created
 * (`nothingSent`), whose new ids no count can name yet.
 */
export async function sendingViews(
  db: Kysely<Database>,
  rows: (PolicyRow & { id: string })[],
  now: Date,
  opts: { nothingSent?: boolean } = {},
): Promise<Map<string, SendingView>> {
  const counts = await sentCounts(
    db,
    opts.nothingSent ? [] : rows.map((r) => r.id),
    sendWindows(now),
  );
  return new Map(
    rows.map((row) => [row.id, sendingView(row, counts.get(row.id) ?? NOTHING_SENT, now)]),
  );
}
