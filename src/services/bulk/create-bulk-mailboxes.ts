import { acceptBulkJob, plannedItems } from './support/accept-bulk-job.js';
import { checkBulkInput, planBulkMailboxes, type BulkMailboxesInput } from './support/bulk-plan.js';
import type { Actor, ServiceContext } from '../context.js';
import type { Job } from '../jobs/support/job-view.js';

/**
 * Accepts a bulk request as a durable job: every address and its sealed password is planned
 * here, in one transaction under the account lock, so the limits hold exactly under
 * concurrency and a crash after this point loses nothing. The worker only carries it out.
 */
export async function createBulkMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkMailboxesInput,
  opts: { idempotencyKey?: string } = {},
): Promise<{ job: Job; replayed: boolean }> {
  const checked = checkBulkInput(input);
  return acceptBulkJob(ctx, actor, input, opts, async (trx) => {
    const plan = await planBulkMailboxes(ctx, actor, trx, input, { preview: false, checked });
    return {
      kind: 'bulk_mailboxes',
      params: {
        name: plan.name,
        domain: plan.domain.name,
        count: plan.addresses.length,
        quotaMb: plan.quotaMb,
        passwordGenerated: plan.manualPassword === undefined,
        stages: input.stages ?? null,
        sending: input.sending ?? null,
      },
      items: plannedItems(ctx, [plan], plan),
      credentials: true,
      ...(plan.stages ? { stages: plan.stages } : {}),
      event: { action: 'mailboxes.bulk_requested', target: plan.domain.name },
    };
  });
}
