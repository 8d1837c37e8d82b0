import { conflict } from '../../core/errors.js';
import { appendEvent } from '../../store/events.js';
import { cancelJob as cancelJobRow, findJob } from '../../store/jobs.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { getJob, requireJob } from './get-job.js';
import type { Job } from './support/job-view.js';

/**
 * Cancels a job that has not finished: items not yet carried out never will be (a running job
 * stops at its next batch boundary), items done stay done, and the credentials of mailboxes
 * already created stay downloadable as for a finished job.
 */
export async function cancelJob(ctx: ServiceContext, actor: Actor, id: string): Promise<Job> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const job = await requireJob(ctx, actor, id, trx);
    const now = nowIso(ctx);
    const cancelled = await cancelJobRow(trx, job.id, now);
    // Read after the cancel: the counters as they stand now that the runner cannot add to them.
    const current = (await findJob(trx, actor.accountId, job.id))!;
    if (!cancelled) {
      throw conflict(
        'job_finished',
        `Job ${job.id} has already finished (${current.status}): there is nothing left to cancel.`,
      );
    }
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'job.cancelled',
      target: job.id,
      details: {
        kind: job.kind,
        total: current.total,
        done: current.done,
        failed: current.failed,
        cancelled: current.total - current.done - current.failed,
      },
      now,
    });
  });
  return getJob(ctx, actor, id);
}
