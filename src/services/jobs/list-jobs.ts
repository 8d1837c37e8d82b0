import type { Page } from '../../store/cursor.js';
import { listJobs as listJobRows } from '../../store/jobs.js';
import type { JobStatus } from '../../store/schema.js';
import { ownOnly, type Actor, type ServiceContext } from '../context.js';
import { pageLimit } from '../support/page-limit.js';
import { toJobs, type Job } from './support/job-view.js';

export async function listJobs(
  ctx: ServiceContext,
  actor: Actor,
  opts: { status?: JobStatus; cursor?: string; limit?: number } = {},
): Promise<Page<Job>> {
  const page = await listJobRows(ctx.store.db, actor.accountId, {
    ...opts,
    limit: pageLimit(opts.limit),
    ...ownOnly(actor),
  });
  return {
    items: await toJobs(ctx.store.db, page.items),
    nextCursor: page.nextCursor,
  };
}
