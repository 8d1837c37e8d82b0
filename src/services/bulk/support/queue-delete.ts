import { lockAccount } from '../../../store/limits.js';
import type { Actor, ServiceContext } from '../../context.js';
import { getJob } from '../../jobs/get-job.js';
import { queueJob } from '../../jobs/queue-job.js';
import type { Job } from '../../jobs/support/job-view.js';
import { assertNoCooldown, bulkDeleteCooldownRule } from './cooldown.js';

/**
 * Deletes are destructive, so they run as jobs with their own cooldown: one accepted request
 * of each kind per five minutes. A request refused by validation starts no cooldown.
 */
export async function queueDelete(
  ctx: ServiceContext,
  actor: Actor,
  kind: 'bulk_delete_domains' | 'bulk_delete_mailboxes',
  validate: (
    trx: ServiceContext['store']['db'],
  ) => Promise<{ targets: string[]; params: Record<string, unknown> }>,
): Promise<Job> {
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const { targets, params } = await validate(trx);
    await assertNoCooldown(
      trx,
      actor.accountId,
      ctx.clock(),
      bulkDeleteCooldownRule(kind),
      'a bulk delete',
    );
    return queueJob(ctx, trx, actor, {
      kind,
      params,
      items: targets.map((target) => ({ target, status: 'pending' })),
      credentials: false,
      event: { action: `${kind}.requested`, target: `${targets.length} item(s)` },
    });
  });
  ctx.onJobQueued?.();
  return getJob(ctx, actor, id);
}
