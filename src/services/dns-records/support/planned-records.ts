import { planRecords } from '../../../core/dns-plan.js';
import type { CheckedRecord, PlannedRecord } from '../../../core/dns-record.js';
import type { DomainRecord } from '../../../store/domains.js';
import type { ServiceContext } from '../../context.js';
import { ensureDkimKeys } from './dkim-keys.js';

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
      redirectTo: domain.redirect_to,
      trackingCname: domain.tracking_cname,
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
