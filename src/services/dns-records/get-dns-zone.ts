import { zoneFragment } from '../../core/zone-file.js';
import type { Actor, ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { plannedRecords } from './support/planned-records.js';

/** The same records as a BIND zone fragment, to paste into the DNS host's import. */
export async function getDnsZone(ctx: ServiceContext, actor: Actor, name: string): Promise<string> {
  const domain = await requireDomain(ctx, actor, name);
  return zoneFragment(
    await plannedRecords(ctx, domain),
    `DNS records Mailwright needs for ${domain.name}`,
  );
}
