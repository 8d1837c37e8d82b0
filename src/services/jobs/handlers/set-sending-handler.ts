import { IssueCollector } from '../../../core/errors.js';
import { mergeSendingPolicy, utcDay, type SendingInput } from '../../../core/sending.js';
import { appendEvents, type NewEvent } from '../../../store/events.js';
import { findMailbox, updateMailbox } from '../../../store/mailboxes.js';
import { toPolicyColumns, toSendingPolicy } from '../../mailboxes/support/sending-view.js';
import type { ItemOutcome, JobHandler } from './job-handler.js';

/**
 * One batch of a bulk policy change: each mailbox's own policy with the request's change laid
 * over it, written with a `mailbox.updated` event when it differs, in the batch's transaction.
 * A mailbox deleted since the request is that item's failure. Nothing is cached by the mail
 * plane: the policy service reads the policy at each RCPT.
 */
export const setSendingHandler: JobHandler<undefined> = {
  batchSize: () => 100,
  prepare: async () => undefined,
  async apply(ctx, trx, job, items) {
    const { sending } = JSON.parse(job.params) as { sending: SendingInput };
    const now = ctx.clock().toISOString();
    const today = utcDay(ctx.clock());
    const outcome: ItemOutcome = { done: [], failed: [] };
    const events: NewEvent[] = [];
    for (const item of items) {
      const row = await findMailbox(trx, job.account_id, item.target);
      if (!row) {
        outcome.failed.push({
          seq: item.seq,
          code: 'mailbox_not_found',
          message: `${item.target} no longer exists.`,
        });
        continue;
      }
      const before = toSendingPolicy(row);
      // The change was checked when the job was accepted; it fits any mailbox's policy.
      const after = mergeSendingPolicy(before, sending, today, new IssueCollector());
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        await updateMailbox(trx, row.id, { ...toPolicyColumns(after), updated_at: now });
        events.push({
          accountId: job.account_id,
          actor: job.actor,
          action: 'mailbox.updated',
          target: row.address,
          details: { fields: ['sending'], sending: after, job: job.id },
          now,
        });
      }
      outcome.done.push(item.seq);
    }
    await appendEvents(trx, events);
    return outcome;
  },
};
