import { AppError, rateLimited } from '../../../core/errors.js';
import { LOGIN_LIMITS } from '../../../core/sign-in-limits.js';
import {
  deleteLoginAttempt,
  deleteLoginAttemptsBefore,
  insertLoginAttempt,
  nthLatestAttemptAt,
} from '../../../store/login-attempts.js';
import type { ServiceContext } from '../../context.js';

/**
 * Records a sign-in as failed before its password is checked, and refuses it (429) when the
 * email or the client already has its allowance of failures in the window. Recording first
 * means concurrent guesses see each other, so a burst cannot outrun the count; the caller
 * deletes the email's records when the sign-in succeeds. Returns the record's id.
 */
export async function reserveLoginAttempt(
  ctx: ServiceContext,
  attempt: { email: string; ip: string },
): Promise<string> {
  const db = ctx.store.db;
  const now = ctx.clock();
  const windowMs = LOGIN_LIMITS.windowSeconds * 1000;
  const since = new Date(now.getTime() - windowMs).toISOString();
  await deleteLoginAttemptsBefore(db, since);
  const id = await insertLoginAttempt(db, { ...attempt, now: now.toISOString() });
  // The new record is the latest, so the (limit + 1)-th latest is the limit-th earlier failure:
  // the one whose leaving the window lifts the block.
  const blockedSince = [
    await nthLatestAttemptAt(db, { email: attempt.email }, since, LOGIN_LIMITS.perEmail + 1),
    await nthLatestAttemptAt(db, { ip: attempt.ip }, since, LOGIN_LIMITS.perIp + 1),
  ].filter((at): at is string => at !== undefined);
  if (blockedSince.length === 0) return id;

  // A refused attempt checks no password, so it does not count or prolong the block.
  await deleteLoginAttempt(db, id);
  const retryAt = new Date(
    Math.max(...blockedSince.map((at) => Date.parse(at))) + windowMs,
  ).toISOString();
  throw loginRateLimited(retryAt, now);
}

const loginRateLimited = (retryAt: string, now: Date): AppError =>
  rateLimited(
    'login_rate_limited',
    `Too many failed sign-ins for this email or from this network: try again after ${retryAt}.`,
    retryAt,
    now,
  );
