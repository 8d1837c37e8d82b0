import { canonicalJson } from '../../core/canonical-json.js';
import { AppError } from '../../core/errors.js';
import { IDEMPOTENCY_WINDOW_HOURS, IDEMPOTENCY_WINDOW_MS } from '../../core/idempotency.js';
import { generatePassword } from '../../core/password.js';
import { findJobByIdempotencyKey, releaseIdempotencyKey } from '../../store/jobs.js';
import { lockAccount } from '../../store/limits.js';
import type { JobRow } from '../../store/schema.js';
import { checkBulkInput, planBulkMailboxes, type BulkMailboxesInput } from './support/bulk-plan.js';
import type { Actor, ServiceContext } from '../context.js';
import { queueJob } from '../jobs/queue-job.js';
import { getJob } from '../jobs/get-job.js';
import type { Job } from '../jobs/support/job-view.js';

/**
 * Accepts a bulk request as a durable job: every address and its sealed password is planned
 * here, in one transaction under the account lock, so the limits hold exactly under
 * concurrency and a crash after this point loses nothing. The worker only carries it out.
 */
export async function createBulkMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkMailboxesInput,
  opts: { idempotencyKey?: string } = {},
): Promise<{ job: Job; replayed: boolean }> {
  const requestHash = ctx.secrets.mac(canonicalJson(input));
  const checked = checkBulkInput(input);
  const result = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    if (opts.idempotencyKey) {
      const previous = await replay(ctx, trx, actor, opts.idempotencyKey, requestHash);
      if (previous) return { id: previous.id, replayed: true };
    }
    const plan = await planBulkMailboxes(ctx, actor, trx, input, { preview: false, checked });
    const id = await queueJob(ctx, trx, actor, {
      kind: 'bulk_mailboxes',
      params: {
        name: plan.name,
        domain: plan.domain.name,
        count: plan.addresses.length,
        quotaMb: plan.quotaMb,
        passwordGenerated: plan.manualPassword === undefined,
        stages: input.stages ?? null,
        sending: input.sending ?? null,
      },
      items: plan.addresses.map((a, seq) => ({
        domain_id: plan.domain.id,
        target: a.address,
        local_part: a.localPart,
        name: plan.name,
        quota_mb: plan.quotaMb,
        wave: plan.stages ? Math.floor(seq / plan.stages.size) : 0,
        status: 'pending',
        // Sealed now, not at creation time, so a crash and resume hand out the same credential.
        sealed_password: ctx.secrets.cipher.encrypt(plan.manualPassword ?? generatePassword()),
      })),
      credentials: true,
      ...(opts.idempotencyKey ? { idempotency: { key: opts.idempotencyKey, requestHash } } : {}),
      ...(plan.stages ? { stages: plan.stages } : {}),
      event: { action: 'mailboxes.bulk_requested', target: plan.domain.name },
    });
    return { id, replayed: false };
  });
  if (!result.replayed) ctx.onJobQueued?.();
  return { job: await getJob(ctx, actor, result.id), replayed: result.replayed };
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
