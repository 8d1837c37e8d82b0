import { AppError } from '../../../core/errors.js';
import type { Actor, ServiceContext } from '../../context.js';
import type { ItemOutcome, JobHandler } from './job-handler.js';

/** Domains a batch works on at once: their DNS lookups and updates overlap. */
const BATCH = 10;

/**
 * A job that runs one domain use case (verify, publish) per item. The use case does its own
 * DNS traffic and writes, so it runs in `prepare`, outside the batch's transaction that must
 * not wait on the network; both use cases are idempotent, so a batch a dead runner redoes
 * changes nothing twice. A refusal (`AppError`: the TXT record missing, the DNS host refusing)
 * is that domain's result; anything else interrupts the job to be retried.
 */
export function domainActionHandler(
  run: (ctx: ServiceContext, actor: Actor, name: string) => Promise<unknown>,
): JobHandler<ItemOutcome> {
  return {
    batchSize: () => BATCH,
    async prepare(ctx, items, job) {
      const outcome: ItemOutcome = { done: [], failed: [] };
      // Checked against the requester's domains when the job was accepted.
      const actor: Actor = { accountId: job.account_id, name: job.actor };
      await Promise.all(
        items.map(async (item) => {
          try {
            await run(ctx, actor, item.target);
            outcome.done.push(item.seq);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            outcome.failed.push({ seq: item.seq, code: error.code, message: error.message });
          }
        }),
      );
      return outcome;
    },
    apply: async (_ctx, _trx, _job, _items, prepared) => prepared,
  };
}
