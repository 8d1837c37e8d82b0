import { notFound } from '../../core/errors.js';
import { findJob } from '../../store/jobs.js';
import type { JobRow } from '../../store/schema.js';
import { ownOnly, type Actor, type ServiceContext } from '../context.js';
import { toJob, type Job } from './support/job-view.js';

export async function requireJob(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  db = ctx.store.db,
): Promise<JobRow> {
  const row = await findJob(db, actor.accountId, id);
  const own = ownOnly(actor);
  if (!row || (own.actor !== undefined && row.actor !== own.actor)) throw notFound('job', id);
  return row;
}

export async function getJob(ctx: ServiceContext, actor: Actor, id: string): Promise<Job> {
  return toJob(ctx.store.db, await requireJob(ctx, actor, id));
}
