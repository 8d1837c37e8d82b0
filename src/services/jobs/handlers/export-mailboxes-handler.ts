import { appendEvents } from '../../../store/events.js';
import { setPasswordHashes } from '../../../store/mailboxes.js';
import { sharedHashPool } from '../support/hash-pool.js';
import type { ItemOutcome, JobHandler } from './job-handler.js';

/**
 * Gives each exported mailbox the new password sealed in its item: hashed on every core in
 * `prepare`, the hashes written in `apply`, whose changed logins the runner flushes from
 * Dovecot's cache with the commit, as a password change does. A mailbox deleted since the job
 * was accepted is that item's failure.
 */
export const exportMailboxesHandler: JobHandler<string[]> = {
  batchSize: (ctx) => 16 * ctx.hashConcurrency,

  prepare: (ctx, items) => {
    const pool = sharedHashPool(ctx.hashConcurrency);
    return Promise.all(
      items.map((item) => pool.hash(ctx.secrets.cipher.decrypt(item.sealed_password ?? ''))),
    );
  },

  async apply(ctx, trx, job, items, hashes) {
    const now = ctx.clock().toISOString();
    const changed = new Set(
      await setPasswordHashes(
        trx,
        job.account_id,
        items.map((item, i) => ({ address: item.target, hash: hashes[i]! })),
        now,
      ),
    );
    const outcome: ItemOutcome = { done: [], failed: [], logins: [...changed] };
    for (const item of items) {
      if (changed.has(item.target)) outcome.done.push(item.seq);
      else {
        outcome.failed.push({
          seq: item.seq,
          code: 'mailbox_not_found',
          message: `${item.target} was deleted after the export was accepted.`,
        });
      }
    }
    await appendEvents(
      trx,
      [...changed].map((address) => ({
        accountId: job.account_id,
        actor: job.actor,
        action: 'mailbox.updated',
        target: address,
        // Field names only, as for any password change.
        details: { fields: ['password'], job: job.id },
        now,
      })),
    );
    return outcome;
  },
};
