import { AppError } from '../../../core/errors.js';
import { setForwarding } from '../../../store/aliases.js';
import { appendEvents, type NewEvent } from '../../../store/events.js';
import { lockAccount } from '../../../store/limits.js';
import { findMailbox, updateMailbox } from '../../../store/mailboxes.js';
import { planForwarding } from '../../bulk/support/forwarding-plan.js';
import type { Actor } from '../../context.js';
import type { ForwardingInput } from '../../mailboxes/support/forwarding-check.js';
import type { ItemOutcome, JobHandler } from './job-handler.js';

/**
 * One batch of a bulk forwarding change: each mailbox checked under the single PATCH's rules
 * in the batch's transaction, under the account lock like every write of aliases and forwards,
 * so a loop closed since the request is refused here. A refusal (the mailbox itself among the
 * targets, a loop, a target deleted since) is that item's failure. Nothing to flush: Postfix
 * reads the forwards on each message and Dovecot caches none of it.
 */
export const setForwardingHandler: JobHandler<undefined> = {
  batchSize: () => 100,
  prepare: async () => undefined,
  async apply(ctx, trx, job, items) {
    const { forwarding } = JSON.parse(job.params) as { forwarding: ForwardingInput };
    // Checked against the requester's domains when the job was accepted.
    const actor: Actor = { accountId: job.account_id, name: job.actor };
    const now = ctx.clock().toISOString();
    const outcome: ItemOutcome = { done: [], failed: [] };
    const events: NewEvent[] = [];
    await lockAccount(trx, job.account_id);
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
      let plan;
      try {
        plan = await planForwarding(trx, actor, row, forwarding);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        plan = { ok: false as const, code: error.code, message: error.message };
      }
      if (!plan.ok) {
        outcome.failed.push({ seq: item.seq, code: plan.code, message: plan.message });
        continue;
      }
      if (plan.changed) {
        await setForwarding(trx, row.id, plan.after);
        await updateMailbox(trx, row.id, { updated_at: now });
        events.push({
          accountId: job.account_id,
          actor: job.actor,
          action: 'mailbox.updated',
          target: row.address,
          details: { fields: ['forwarding'], forwarding: plan.after, job: job.id },
          now,
        });
      }
      outcome.done.push(item.seq);
    }
    await appendEvents(trx, events);
    return outcome;
  },
};
