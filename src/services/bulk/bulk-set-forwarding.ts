import type { Actor, ServiceContext } from '../context.js';
import type { Job } from '../jobs/support/job-view.js';
import { planBulkForwarding, type BulkForwardingInput } from './support/forwarding-plan.js';
import { queueMailboxJob } from './support/queue-mailbox-job.js';

/**
 * Sets (or with null stops) the forwarding of many mailboxes as one job
 * (`jobs/handlers/set-forwarding-handler.ts`), one item and one result per mailbox. Each item
 * is checked again when it runs, so a mailbox refused (its own address among the targets, a
 * loop) is that item's failure and the others go ahead.
 */
export const bulkSetForwarding = (
  ctx: ServiceContext,
  actor: Actor,
  input: BulkForwardingInput,
): Promise<{ job: Job; addresses: string[] }> =>
  queueMailboxJob(
    ctx,
    actor,
    'bulk_set_forwarding',
    { forwarding: input.forwarding },
    async (trx) => (await planBulkForwarding(ctx, actor, input, trx)).map((p) => p.row),
  );
