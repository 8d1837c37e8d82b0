import { canonicalJson } from '../../../core/canonical-json.js';
import { AppError } from '../../../core/errors.js';
import { IDEMPOTENCY_WINDOW_HOURS, IDEMPOTENCY_WINDOW_MS } from '../../../core/idempotency.js';
import { generatePassword } from '../../../core/password.js';
import { findJobByIdempotencyKey, releaseIdempotencyKey } from '../../../store/jobs.js';
import { lockAccount } from '../../../store/limits.js';
import type { JobRow } from '../../../store/schema.js';
import type { Actor, ServiceContext } from '../../context.js';
import { getJob } from '../../jobs/get-job.js';
import { queueJob, type PlannedItem } from '../../jobs/queue-job.js';
import type { Job } from '../../jobs/support/job-view.js';
import type { PlannedAddress } from './bulk-plan.js';

type QueuedJob = Omit<Parameters<typeof queueJob>[3], 'idempotency'>;

/**
 * Accepts a request for mailboxes as a durable job: every address and its sealed password is
 * planned by `plan`, in one transaction under the account lock, so the limits hold exactly
 * under concurrency and a crash after this point loses nothing. The worker only carries it
 * out. The same Idempotency-Key with the same body returns the earlier job.
 */
export async function acceptBulkJob(
  ctx: ServiceContext,
  actor: Actor,
  input: unknown,
  opts: { idempotencyKey?: string },
  plan: (trx: ServiceContext['store']['db']) => Promise<QueuedJob>,
): Promise<{ job: Job; replayed: boolean }> {
  const requestHash = ctx.secrets.mac(canonicalJson(input));
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    if (opts.idempotencyKey) {
      const previous = await replay(ctx, trx, actor, opts.idempotencyKey, requestHash);
      if (previous) return { id: previous.id, replayed: true };
    }
    const job = await plan(trx);
    const id = await queueJob(ctx, trx, actor, {
      ...job,
      ...(opts.idempotencyKey ? { idempotency: { key: opts.idempotencyKey, requestHash } } : {}),
    });
    return { id, replayed: false };
  });
  if (!result.replayed) ctx.onJobQueued?.();
  return { job: await getJob(ctx, actor, result.id), replayed: result.replayed };
}

/** The job items of planned addresses, hostname by hostname, each with its sealed password. */
export function plannedItems(
  ctx: ServiceContext,
  hostnames: { domain: { id: string }; addresses: PlannedAddress[] }[],
  opts: { quotaMb: number; manualPassword?: string; stages?: { size: number } },
): PlannedItem[] {
  return hostnames
    .flatMap((h) => h.addresses.map((a) => ({ domainId: h.domain.id, ...a })))
    .map((a, seq) => ({
      domain_id: a.domainId,
      target: a.address,
      local_part: a.localPart,
      name: a.name,
      quota_mb: opts.quotaMb,
      wave: opts.stages ? Math.floor(seq / opts.stages.size) : 0,
      status: 'pending',
      // Sealed now, not at creation time, so a crash and resume hand out the same credential.
      sealed_password: ctx.secrets.cipher.encrypt(opts.manualPassword ?? generatePassword()),
    }));
}

/**
 * The job an earlier request with this key created, if the body is the same and the key is
 * within its window; a key older than that is released for reuse.
 */
async function replay(
  ctx: ServiceContext,
  trx: ServiceContext['store']['db'],
  actor: Actor,
  key: string,
  requestHash: string,
): Promise<JobRow | undefined> {
  const previous = await findJobByIdempotencyKey(trx, actor.accountId, key);
  if (!previous) return undefined;
  if (ctx.clock().getTime() - Date.parse(previous.created_at) > IDEMPOTENCY_WINDOW_MS) {
    await releaseIdempotencyKey(trx, previous.id);
    return undefined;
  }
  if (previous.request_hash !== requestHash) {
    throw new AppError(
      'validation',
      'idempotency_key_reused',
      `This Idempotency-Key was used for a different request in the last ${IDEMPOTENCY_WINDOW_HOURS} hours: send a new key for a new request.`,
      [
        {
          field: 'Idempotency-Key',
          code: 'idempotency_key_reused',
          message: 'Use a new key for a new request.',
        },
      ],
    );
  }
  return previous;
}
