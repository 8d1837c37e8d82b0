import type { Actor, ServiceContext } from '../context.js';
import type { HostnameLimitsAfter, LimitsAfter } from './support/bulk-plan.js';
import { planSpreadMailboxes, type SpreadMailboxesInput } from './support/spread-plan.js';

export interface SpreadPreview {
  addresses: string[];
  domains: ({ domain: string; addresses: string[] } & HostnameLimitsAfter)[];
  limits: Pick<LimitsAfter, 'maxBulkCount' | 'mailboxesPerHour' | 'cooldown'>;
}

/** Exactly what a spread would create on each hostname, and where the limits would stand. */
export async function previewSpreadMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: SpreadMailboxesInput,
): Promise<{ preview: SpreadPreview }> {
  const plan = await planSpreadMailboxes(ctx, actor, ctx.store.db, input, { preview: true });
  return {
    preview: {
      addresses: plan.hostnames.flatMap((h) => h.addresses.map((a) => a.address)),
      domains: plan.hostnames.map((h) => ({
        domain: h.domain.name,
        addresses: h.addresses.map((a) => a.address),
        ...h.limits,
      })),
      limits: plan.limits,
    },
  };
}
