import { AppError, IssueCollector, notFound } from '../../core/errors.js';
import {
  kebab,
  LIMIT_NAMES,
  LIMIT_RANGES,
  type LimitName,
  type Limits,
} from '../../core/limits.js';
import { findAccountByName } from '../../store/accounts.js';
import { appendEvent } from '../../store/events.js';
import { readLimits, writeLimits } from '../../store/limits.js';
import { nowIso, type ServiceContext } from '../context.js';

/**
 * Operator-only (CLI). Limits are read from the database on every request, so a change
 * applies to a running server at once. `null` puts a limit back to the platform default.
 */
export async function setAccountLimits(
  ctx: ServiceContext,
  input: { account: string; changes: Partial<Record<LimitName, number | null>>; actor: string },
): Promise<Limits> {
  const account = await findAccountByName(ctx.store.db, input.account.trim().toLowerCase());
  if (!account) throw notFound('account', input.account);
  const issues = new IssueCollector();
  for (const [name, value] of Object.entries(input.changes) as [LimitName, number | null][]) {
    if (!LIMIT_NAMES.includes(name)) {
      throw new AppError('validation', 'unknown_limit', `No limit named ${name}.`);
    }
    const [min, max] = LIMIT_RANGES[name];
    if (value !== null && (!Number.isInteger(value) || value < min || value > max)) {
      issues.add(
        kebab(name),
        'limit_out_of_range',
        `Enter a whole number from ${min} to ${max} for --${kebab(name)}.`,
      );
    }
  }
  issues.throwIfAny();
  return ctx.store.db.transaction().execute(async (trx) => {
    await writeLimits(trx, account.id, input.changes);
    await appendEvent(trx, {
      accountId: account.id,
      actor: input.actor,
      action: 'account.limits_changed',
      target: account.name,
      details: { ...input.changes },
      now: nowIso(ctx),
    });
    return readLimits(trx, account.id);
  });
}
