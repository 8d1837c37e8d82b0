import { lockAccount } from '../../../store/limits.js';
import type { JobKind, MailboxRow } from '../../../store/schema.js';
import type { Actor, ServiceContext } from '../../context.js';
import { getJob } from '../../jobs/get-job.js';
import { queueJob } from '../../jobs/queue-job.js';
import type { Job } from '../../jobs/support/job-view.js';

/**
 * Queues a change of many mailboxes as one job of one item per mailbox, in address order as
 * `select` returns them. The selection runs in the job's transaction under the account lock,
 * so what it checked still holds when the job is written. No cooldown: nothing is created or
 * destroyed.
 */
export async function queueMailboxJob(
  ctx: ServiceContext,
  actor: Actor,
  kind: JobKind,
  params: Record<string, unknown>,
  select: (trx: ServiceContext['store']['db']) => Promise<MailboxRow[]>,
): Promise<{ job: Job; addresses: string[] }> {
  const { id, addresses } = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const targets = (await select(trx)).map((r) => r.address);
    const jobId = await queueJob(ctx, trx, actor, {
      kind,
      params,
      items: targets.map((target) => ({ target, status: 'pending' })),
      credentials: false,
      event: { action: `${kind}.requested`, target: `${targets.length} mailbox(es)` },
    });
    return { id: jobId, addresses: targets };
  });
  ctx.onJobQueued?.();
  return { job: await getJob(ctx, actor, id), addresses };
}
