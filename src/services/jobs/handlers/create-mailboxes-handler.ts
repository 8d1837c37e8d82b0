import { randomUUID } from 'node:crypto';
import { IssueCollector } from '../../../core/errors.js';
import {
  mergeSendingPolicy,
  policyFromDefaults,
  utcDay,
  type SendingInput,
} from '../../../core/sending.js';
import { readLimits } from '../../../store/limits.js';
import { toPolicyColumns } from '../../mailboxes/support/sending-view.js';
import { existingDomainIds } from '../../../store/domains.js';
import { appendEvents } from '../../../store/events.js';
import { existingAddresses, insertMailboxes } from '../../../store/mailboxes.js';
import type { NewMailboxRow } from '../../../store/schema.js';
import { sharedHashPool } from '../support/hash-pool.js';
import type { ItemOutcome, JobHandler } from './job-handler.js';

/** Creates the planned mailboxes of bulk and import jobs. */
export const createMailboxesHandler: JobHandler<string[]> = {
  // Enough hashes per batch to keep the cores busy while the previous batch is written.
  batchSize: (ctx) => 16 * ctx.hashConcurrency,

  prepare: (ctx, items) => {
    const pool = sharedHashPool(ctx.hashConcurrency);
    return Promise.all(
      items.map((item) => pool.hash(ctx.secrets.cipher.decrypt(item.sealed_password ?? ''))),
    );
  },

  async apply(ctx, trx, job, items, hashes) {
    // Only mailboxes count here: the job's own pending items are what is being created.
    const taken = await existingAddresses(
      trx,
      items.map((i) => i.target),
    );
    // A hostname deleted (cascade) after planning takes its planned mailboxes with it.
    const live = await existingDomainIds(
      trx,
      items.map((i) => i.domain_id!),
    );
    const now = ctx.clock().toISOString();
    const policy = toPolicyColumns(await jobSendingPolicy(trx, job, utcDay(ctx.clock())));
    const outcome: ItemOutcome = { done: [], failed: [] };
    const rows: NewMailboxRow[] = [];
    items.forEach((item, i) => {
      if (!live.has(item.domain_id!)) {
        outcome.failed.push({
          seq: item.seq,
          code: 'domain_not_found',
          message: `${item.target.slice(item.target.indexOf('@') + 1)} was deleted after this batch was planned.`,
        });
        return;
      }
      if (taken.has(item.target)) {
        outcome.failed.push({
          seq: item.seq,
          code: 'mailbox_exists',
          message: `${item.target} was created by someone else after this batch was planned.`,
        });
        return;
      }
      outcome.done.push(item.seq);
      rows.push({
        id: randomUUID(),
        account_id: job.account_id,
        domain_id: item.domain_id!,
        local_part: item.local_part!,
        address: item.target,
        name: item.name!,
        password_hash: hashes[i]!,
        quota_mb: item.quota_mb!,
        active: 1,
        created_at: now,
        updated_at: now,
        ...policy,
      });
    });
    await insertMailboxes(trx, rows);
    await appendEvents(
      trx,
      rows.map((row) => ({
        accountId: job.account_id,
        actor: job.actor,
        action: 'mailbox.created',
        target: row.address,
        details: { job: job.id, quotaMb: row.quota_mb },
        now,
      })),
    );
    return outcome;
  },
};

/**
 * The policy the job's mailboxes get: the request's `sending` (checked when the job was
 * accepted) over the account's defaults as they are when the mailboxes are created; a warm-up
 * starts on that day. Import jobs carry none.
 */
async function jobSendingPolicy(
  db: Parameters<JobHandler<string[]>['apply']>[1],
  job: Parameters<JobHandler<string[]>['apply']>[2],
  today: string,
) {
  const requested = (JSON.parse(job.params) as { sending?: SendingInput | null }).sending ?? {};
  const defaults = policyFromDefaults(await readLimits(db, job.account_id), today);
  return mergeSendingPolicy(defaults, requested, today, new IssueCollector());
}
