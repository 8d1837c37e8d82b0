import { conflict } from '../../../core/errors.js';
import { claimsLapsedBefore, DEFAULT_UNVERIFIED_DOMAIN_DAYS } from '../../../core/domain-claims.js';
import { removeExpiredClaims, type RemovedClaim } from '../../../store/domains.js';
import { appendEvents } from '../../../store/events.js';
import { nowIso, type ServiceContext } from '../../context.js';

/**
 * Said to a caller who has just proved control of the name's DNS (or to the operator), and to
 * one trying to publish over it: never in answer to merely adding a name.
 */
export const domainTaken = (name: string) =>
  conflict(
    'domain_taken',
    `${name} is already verified by another account on this platform. If you own it, contact the operator.`,
  );

export const unverifiedDomainDays = (ctx: ServiceContext): number =>
  ctx.unverifiedDomainDays ?? DEFAULT_UNVERIFIED_DOMAIN_DAYS;

/**
 * Removes the unverified claims that have lapsed — the account's own, and with `name` every
 * account's on that name — each recorded in its own account's audit log. Run where claims
 * matter: adding, verifying and listing domains.
 */
export async function removeLapsedClaims(
  ctx: ServiceContext,
  db: ServiceContext['store']['db'],
  scope: { accountId: string; name?: string },
): Promise<RemovedClaim[]> {
  const days = unverifiedDomainDays(ctx);
  const removed = await removeExpiredClaims(db, scope, claimsLapsedBefore(ctx.clock(), days));
  const now = nowIso(ctx);
  await appendEvents(
    db,
    removed.map((claim) => ({
      accountId: claim.accountId,
      actor: 'system',
      action: 'domain.claim_lapsed',
      target: claim.names[0]!,
      details: { days, removed: claim.names },
      now,
    })),
  );
  return removed;
}
