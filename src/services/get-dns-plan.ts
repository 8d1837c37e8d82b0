import { planRecords } from '../core/dns-plan.js';
import type { CheckedRecord, PlannedRecord } from '../core/dns-record.js';
import { zoneFragment } from '../core/zone-file.js';
import { saveDnsCheck, type DomainRecord } from '../store/domains.js';
import { summarize } from '../dns/record-checker.js';
import { nowIso, type Actor, type ServiceContext } from './context.js';
import { ensureDkimKeys } from './dkim-keys.js';
import { requireDomain } from './find-domain.js';

export interface DnsPlan {
  records: CheckedRecord[];
  /** When the live lookups ran; null when they did not. */
  checkedAt: string | null;
}

/** The records a hostname of the actor's account needs published, optionally checked live. */
export async function getDnsPlan(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  opts: { check?: boolean } = {},
): Promise<DnsPlan> {
  const domain = await requireDomain(ctx, actor, name);
  const records = await plannedRecords(ctx, domain);
  if (!opts.check) return { records: records.map(unchecked), checkedAt: null };
  const checkedAt = nowIso(ctx);
  const checked = await ctx.recordChecker.check(records);
  // Kept so every view of the domain shows its readiness without a lookup per read.
  await saveDnsCheck(ctx.store.db, domain.id, {
    at: checkedAt,
    failing: summarize(checked).failing,
  });
  return { records: checked, checkedAt };
}

/** The same records as a BIND zone fragment, to paste into the DNS host's import. */
export async function getDnsZone(ctx: ServiceContext, actor: Actor, name: string): Promise<string> {
  const domain = await requireDomain(ctx, actor, name);
  return zoneFragment(
    await plannedRecords(ctx, domain),
    `DNS records Mailwright needs for ${domain.name}`,
  );
}

/** Every record of `domain`, with the DKIM selectors that are still published. */
export async function plannedRecords(
  ctx: ServiceContext,
  domain: DomainRecord,
): Promise<PlannedRecord[]> {
  const keys = await ensureDkimKeys(ctx, domain);
  return planRecords(
    {
      name: domain.name,
      kind: domain.kind,
      parentName: domain.parent_name,
      verificationToken: domain.verification_token,
    },
    ctx.dnsSettings,
    keys
      .filter((k) => k.retired_at === null)
      .map((k) => ({
        selector: k.selector,
        algorithm: k.algorithm,
        publicKeyBase64: k.public_key,
      })),
  );
}

export const unchecked = (record: PlannedRecord): CheckedRecord => ({
  ...record,
  status: 'unchecked',
  found: [],
  hint: '',
});
