import { lockAccount } from '../../store/limits.js';
import type { Actor, ServiceContext } from '../context.js';
import { getJob } from '../jobs/get-job.js';
import { queueJob } from '../jobs/queue-job.js';
import type { Job } from '../jobs/support/job-view.js';
import { selectSendingMailboxes, type BulkSendingInput } from './support/sending-selection.js';

/**
 * Sets the sending policy of many mailboxes as one job (`jobs/handlers/set-sending-handler.ts`),
 * one item and one result per mailbox. The change is laid over each mailbox's own policy when
 * its item runs, so what the request leaves out stays as each mailbox has it. No cooldown:
 * nothing is created or destroyed.
 */
export async function bulkSetSending(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkSendingInput,
): Promise<{ job: Job; addresses: string[] }> {
  const { id, addresses } = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const rows = await selectSendingMailboxes(ctx, actor, input, trx);
    const targets = rows.map((r) => r.address);
    const jobId = await queueJob(ctx, trx, actor, {
      kind: 'bulk_set_sending',
      params: { sending: input.sending },
      items: targets.map((target) => ({ target, status: 'pending' })),
      credentials: false,
      event: { action: 'bulk_set_sending.requested', target: `${targets.length} mailbox(es)` },
    });
    return { id: jobId, addresses: targets };
  });
  ctx.onJobQueued?.();
  return { job: await getJob(ctx, actor, id), addresses };
}
