import type { Actor, ServiceContext } from '../context.js';
import type { Job } from '../jobs/support/job-view.js';
import { queueMailboxJob } from './support/queue-mailbox-job.js';
import { selectSendingMailboxes, type BulkSendingInput } from './support/sending-selection.js';

/**
 * Sets the sending policy of many mailboxes as one job (`jobs/handlers/set-sending-handler.ts`),
 * one item and one result per mailbox. The change is laid over each mailbox's own policy when
 * its item runs, so what the request leaves out stays as each mailbox has it.
 */
export const bulkSetSending = (
  ctx: ServiceContext,
  actor: Actor,
  input: BulkSendingInput,
): Promise<{ job: Job; addresses: string[] }> =>
  queueMailboxJob(ctx, actor, 'bulk_set_sending', { sending: input.sending }, (trx) =>
    selectSendingMailboxes(ctx, actor, input, trx),
  );
