import { conflict } from '../../core/errors.js';
import { verifiedByAnotherAccount } from '../../store/domains.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { domainTaken } from '../domains/support/domain-claims.js';
import { requireDomain } from '../domains/get-domain.js';
import { type DnsPlan } from './get-dns-plan.js';
import { plannedRecords } from './support/planned-records.js';
import { saveDnsCheck } from './support/save-dns-check.js';

/** The configured DNS host, or the 409 that says how to configure one. */
export function requireDnsProvider(
  ctx: ServiceContext,
): NonNullable<ServiceContext['dnsProvider']> {
  if (!ctx.dnsProvider) {
    throw conflict(
      'dns_provider_not_configured',
      'No DNS host is configured for automatic publishing: set MAILWRIGHT_DNS_PROVIDER (see docs/dns.md), or publish the records of GET /v1/domains/{name}/dns.zone by hand.',
    );
  }
  return ctx.dnsProvider;
}

/**
 * Writes a domain's planned records to the configured DNS host (no copy-paste into a panel),
 * then checks them live. Idempotent: publishing an unchanged plan again changes nothing.
 * Sub-domain records go into the root's zone, where their names live.
 */
export async function publishDns(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
): Promise<DnsPlan & { changed: number }> {
  // The domain first: a name outside the caller's domains is 404 whatever the configuration.
  const domain = await requireDomain(ctx, actor, name);
  const provider = requireDnsProvider(ctx);
  const zone = domain.parent_name ?? domain.name;
  // A pending claim on a name another account verified must not overwrite that account's
  // records in a zone the platform's DNS host serves.
  if (
    domain.status === 'pending' &&
    (await verifiedByAnotherAccount(ctx.store.db, actor.accountId, zone))
  ) {
    throw domainTaken(zone);
  }
  const records = await plannedRecords(ctx, domain);
  let changed: number;
  try {
    ({ changed } = await provider.publish(zone, records));
  } catch (error) {
    throw conflict(
      'dns_publish_failed',
      `The DNS host refused or did not answer (${provider.kind}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const checkedAt = nowIso(ctx);
  const checked = await ctx.recordChecker.check(records);
  await saveDnsCheck(ctx, actor, domain, checkedAt, checked);
  await appendEvent(ctx.store.db, {
    accountId: actor.accountId,
    actor: actor.name,
    action: 'dns.published',
    target: domain.name,
    details: { provider: provider.kind, zone, changed },
    now: checkedAt,
  });
  return { changed, records: checked, checkedAt };
}
