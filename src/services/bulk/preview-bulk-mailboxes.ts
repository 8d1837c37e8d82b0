import type { Actor, ServiceContext } from '../context.js';
import {
  planBulkMailboxes,
  type BulkMailboxesInput,
  type LimitsAfter,
} from './support/bulk-plan.js';

/** Exactly what a bulk request would create, and where the limits would stand. Writes nothing. */
export async function previewBulkMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkMailboxesInput,
): Promise<{ preview: { addresses: string[]; limits: LimitsAfter } }> {
  const plan = await planBulkMailboxes(ctx, actor, ctx.store.db, input, { preview: true });
  return { preview: { addresses: plan.addresses.map((a) => a.address), limits: plan.limits } };
}
