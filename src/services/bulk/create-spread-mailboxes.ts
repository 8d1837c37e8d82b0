import type { Actor, ServiceContext } from '../context.js';
import type { Job } from '../jobs/support/job-view.js';
import { acceptBulkJob, plannedItems } from './support/accept-bulk-job.js';
import {
  checkSpreadInput,
  planSpreadMailboxes,
  type SpreadMailboxesInput,
} from './support/spread-plan.js';

/**
 * Accepts personas spread over several hostnames as one bulk job: one lock, one set of limit
 * checks for the whole request, one progress and one credentials download.
 */
export async function createSpreadMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: SpreadMailboxesInput,
  opts: { idempotencyKey?: string } = {},
): Promise<{ job: Job; replayed: boolean }> {
  const checked = checkSpreadInput(input);
  return acceptBulkJob(ctx, actor, input, opts, async (trx) => {
    const plan = await planSpreadMailboxes(ctx, actor, trx, input, { preview: false, checked });
    const domains = plan.hostnames.map((h) => h.domain.name);
    return {
      // The same kind as bulk, so it shares the bulk cooldown and the create-mailboxes handler.
      kind: 'bulk_mailboxes',
      params: {
        mode: 'spread',
        domains,
        personas: checked.names,
        perDomain: input.perDomain,
        count: plan.limits.maxBulkCount.requested,
        quotaMb: plan.quotaMb,
        passwordGenerated: plan.manualPassword === undefined,
        sending: input.sending ?? null,
      },
      items: plannedItems(ctx, plan.hostnames, plan),
      credentials: true,
      event: {
        action: 'mailboxes.spread_requested',
        target: `${domains.length} domain${domains.length === 1 ? '' : 's'}`,
      },
    };
  });
}
