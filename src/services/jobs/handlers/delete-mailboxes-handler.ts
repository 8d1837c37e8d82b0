import { appendEvents } from '../../../store/events.js';
import { deleteMailboxes } from '../../../store/mailboxes.js';
import type { JobHandler } from './job-handler.js';

export const deleteMailboxesHandler: JobHandler<undefined> = {
  batchSize: () => 100,
  prepare: async () => undefined,
  async apply(ctx, trx, job, items) {
    const deleted = await deleteMailboxes(
      trx,
      job.account_id,
      items.map((i) => i.target),
    );
    const now = ctx.clock().toISOString();
    await appendEvents(
      trx,
      [...deleted].map((address) => ({
        accountId: job.account_id,
        actor: job.actor,
        action: 'mailbox.deleted',
        target: address,
        details: { job: job.id },
        now,
      })),
    );
    return {
      logins: [...deleted],
      done: items.filter((i) => deleted.has(i.target)).map((i) => i.seq),
      failed: items
        .filter((i) => !deleted.has(i.target))
        .map((i) => ({
          seq: i.seq,
          code: 'mailbox_not_found',
          message: `${i.target} no longer exists.`,
        })),
    };
  },
};
