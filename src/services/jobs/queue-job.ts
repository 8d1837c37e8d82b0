import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { appendEvent } from '../../store/events.js';
import { insertJob } from '../../store/jobs.js';
import type { Database, JobKind, NewJobItemRow } from '../../store/schema.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';

export type PlannedItem = Omit<NewJobItemRow, 'job_id' | 'seq' | 'account_id'>;

/**
 * Writes a job and all its planned items in the caller's transaction (which holds the account
 * lock), with the audit event that says who asked for it. Returns the job id.
 */
export async function queueJob(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  actor: Actor,
  job: {
    kind: JobKind;
    params: Record<string, unknown>;
    items: PlannedItem[];
    /** Items already refused at planning (e.g. bad CSV rows), reported in the job's errors. */
    preFailed?: number;
    credentials: boolean;
    idempotency?: { key: string; requestHash: string };
    stages?: { size: number; intervalSeconds: number };
    event: { action: string; target: string };
  },
): Promise<string> {
  const id = randomUUID();
  const now = nowIso(ctx);
  await insertJob(
    trx,
    {
      id,
      account_id: actor.accountId,
      kind: job.kind,
      status: 'queued',
      total: job.items.length,
      planned: job.items.length - (job.preFailed ?? 0),
      failed: job.preFailed ?? 0,
      params: JSON.stringify(job.params),
      actor: actor.name,
      idempotency_key: job.idempotency?.key ?? null,
      request_hash: job.idempotency?.requestHash ?? null,
      credentials: job.credentials ? 'available' : 'none',
      stage_size: job.stages?.size ?? null,
      stage_interval_seconds: job.stages?.intervalSeconds ?? null,
      next_run_at: null,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      started_at: null,
      finished_at: null,
    },
    job.items.map((item, seq) => ({ ...item, job_id: id, seq, account_id: actor.accountId })),
  );
  await appendEvent(trx, {
    accountId: actor.accountId,
    actor: actor.name,
    action: job.event.action,
    target: job.event.target,
    details: { job: id, kind: job.kind, items: job.items.length },
    now,
  });
  return id;
}
