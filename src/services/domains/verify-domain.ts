import { AppError, conflict } from '../../core/errors.js';
import { checkHostname } from '../../core/hostname.js';
import { verificationRecord } from '../../core/verification.js';
import {
  findDomain,
  markVerified,
  removeRivalClaims,
  verifiedByAnotherAccount,
} from '../../store/domains.js';
import { isUniqueViolation } from '../../store/errors.js';
import { appendEvent, appendEvents } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { requireDomain } from './get-domain.js';
import { domainTaken, removeLapsedClaims, unverifiedDomainDays } from './support/domain-claims.js';

/**
 * Proves ownership by looking up the TXT record through the configured resolvers. A sub-domain
 * is verified through its root, so verifying either one verifies the whole family.
 * `manual` is the operator's override (CLI only), recorded as such in the audit log.
 */
export async function verifyDomain(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  opts: { manual?: boolean } = {},
): Promise<Domain> {
  const lapsed = await ctx.store.db
    .transaction()
    .execute((trx) => removeLapsedClaims(ctx, trx, { accountId: actor.accountId }));
  const typed = checkHostname(name);
  const hostname = typed.ok ? typed.value.name : undefined;
  if (lapsed.some((claim) => hostname !== undefined && claim.names.includes(hostname))) {
    throw new AppError(
      'gone',
      'claim_expired',
      `${hostname} was not verified within ${unverifiedDomainDays(ctx)} days, so its claim lapsed: add it again (it gets a new TXT value) and verify it within that time.`,
    );
  }
  const domain = await requireDomain(ctx, actor, name);
  if (domain.status === 'verified') return toDomain(domain);

  const rootName = domain.parent_name ?? domain.name;
  const rootId = domain.parent_id ?? domain.id;
  const expected = verificationRecord(rootName, domain.verification_token);
  if (!opts.manual) {
    const lookup = await ctx.dns.resolveTxt(expected.host);
    if (!lookup.records.includes(expected.value)) {
      const found =
        lookup.status === 'ok'
          ? `found ${lookup.records.length ? lookup.records.map((r) => `"${r}"`).join(', ') : 'no TXT record'}`
          : `the lookup failed (${lookup.status})`;
      throw conflict(
        'verification_failed',
        `Publish a TXT record at ${expected.host} with the value ${expected.value}, wait for DNS to update, then verify again; ${found}.`,
        {
          host: expected.host,
          expected: expected.value,
          lookup: lookup.status,
          found: lookup.records,
        },
      );
    }
  }
  const now = nowIso(ctx);
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      if (await verifiedByAnotherAccount(trx, actor.accountId, rootName)) {
        throw domainTaken(rootName);
      }
      await markVerified(trx, rootId, now);
      await appendEvent(trx, {
        accountId: actor.accountId,
        actor: actor.name,
        action: opts.manual ? 'domain.verified_manually' : 'domain.verified',
        target: rootName,
        details: opts.manual ? {} : { host: expected.host },
        now,
      });
      // Whoever proves the name first takes it: the other accounts' pending claims go now.
      const lost = await removeRivalClaims(trx, actor.accountId, rootName);
      await appendEvents(
        trx,
        lost.map((claim) => ({
          accountId: claim.accountId,
          actor: 'system',
          action: 'domain.claim_lost',
          target: rootName,
          details: { reason: 'verified_by_another_account', removed: claim.names },
          now,
        })),
      );
    });
  } catch (error) {
    // Two accounts proving one name at once: the partial unique index on verified names lets
    // one commit, and the other is told as if it had come second.
    if (isUniqueViolation(error)) throw domainTaken(rootName);
    throw error;
  }
  const updated = await findDomain(ctx.store.db, actor.accountId, domain.name);
  return toDomain(updated!);
}
