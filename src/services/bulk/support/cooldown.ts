import type { Kysely } from 'kysely';
import { rateLimited, type AppError } from '../../../core/errors.js';
import { BULK_DELETE_COOLDOWN_SECONDS, type Limits } from '../../../core/limits.js';
import { lastJobAt } from '../../../store/limits.js';
import type { Database, JobKind } from '../../../store/schema.js';

export interface CooldownState {
  active: boolean;
  retryAt: string | null;
  seconds: number;
}

export interface CooldownRule {
  /** Job kinds that share one cooldown. */
  kinds: JobKind[];
  /** Only jobs of more items than this start a cooldown. */
  threshold: number;
  seconds: number;
}

/** Bulk requests of both kinds (form and CSV import) share one cooldown. */
export const bulkCooldownRule = (limits: Limits): CooldownRule => ({
  kinds: ['bulk_mailboxes', 'import_mailboxes'],
  threshold: limits.cooldownThreshold,
  seconds: limits.cooldownSeconds,
});

/** Each kind of bulk delete has its own cooldown, started by any accepted request. */
export const bulkDeleteCooldownRule = (
  kind: 'bulk_delete_domains' | 'bulk_delete_mailboxes',
): CooldownRule => ({ kinds: [kind], threshold: 0, seconds: BULK_DELETE_COOLDOWN_SECONDS });

/** Derived from the jobs table, so it needs no state of its own and survives restarts. */
export async function cooldownState(
  db: Kysely<Database>,
  accountId: string,
  now: Date,
  rule: CooldownRule,
): Promise<CooldownState> {
  const last = await lastJobAt(db, accountId, rule.kinds, rule.threshold);
  const until = last === undefined ? 0 : Date.parse(last) + rule.seconds * 1000;
  const active = until > now.getTime();
  return { active, retryAt: active ? new Date(until).toISOString() : null, seconds: rule.seconds };
}

/** 429 with when to come back, counted on the service clock (the HTTP layer sets Retry-After). */
export function cooldownError(state: CooldownState, now: Date, after: string): AppError {
  return rateLimited(
    'cooldown_active',
    `A cooldown of ${state.seconds} s follows ${after}: try again after ${state.retryAt}.`,
    state.retryAt ?? now.toISOString(),
    now,
  );
}

export async function assertNoCooldown(
  db: Kysely<Database>,
  accountId: string,
  now: Date,
  rule: CooldownRule,
  what: string,
): Promise<void> {
  const state = await cooldownState(db, accountId, now, rule);
  if (state.active) throw cooldownError(state, now, what);
}
