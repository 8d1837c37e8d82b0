import { conflict } from '../core/errors.js';
import { verificationRecord } from '../core/verification.js';
import { findDomain, markVerified } from '../store/domains.js';
import { appendEvent } from '../store/events.js';
import { nowIso, type Actor, type ServiceContext } from './context.js';
import { toDomain, type Domain } from './domain-view.js';
import { requireDomain } from './find-domain.js';

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
  await ctx.store.db.transaction().execute(async (trx) => {
    await markVerified(trx, rootId, now);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: opts.manual ? 'domain.verified_manually' : 'domain.verified',
      target: rootName,
      details: opts.manual ? {} : { host: expected.host },
      now,
    });
  });
  const updated = await findDomain(ctx.store.db, actor.accountId, domain.name);
  return toDomain(updated!);
}
