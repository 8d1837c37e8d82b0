import { notFound } from '../core/errors.js';
import type { Page } from '../store/cursor.js';
import { findJob, listJobs as listJobRows } from '../store/jobs.js';
import type { JobRow, JobStatus } from '../store/schema.js';
import type { Actor, ServiceContext } from './context.js';
import { toJob, toJobs, type Job } from './job-view.js';
import { pageLimit } from './page-limit.js';

export async function requireJob(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  db = ctx.store.db,
): Promise<JobRow> {
  const row = await findJob(db, actor.accountId, id);
  if (!row) throw notFound('job', id);
  return row;
}

export async function getJob(ctx: ServiceContext, actor: Actor, id: string): Promise<Job> {
  return toJob(ctx.store.db, await requireJob(ctx, actor, id));
}

export async function listJobs(
  ctx: ServiceContext,
  actor: Actor,
  opts: { status?: JobStatus; cursor?: string; limit?: number } = {},
): Promise<Page<Job>> {
  const page = await listJobRows(ctx.store.db, actor.accountId, {
    ...opts,
    limit: pageLimit(opts.limit),
  });
  return {
    items: await toJobs(ctx.store.db, page.items),
    nextCursor: page.nextCursor,
  };
}
