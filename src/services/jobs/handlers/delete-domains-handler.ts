import { appendEvents } from '../../../store/events.js';
import { countDependents, deleteDomainTree, findDomain } from '../../../store/domains.js';
import { lockAccount } from '../../../store/limits.js';
import type { ItemOutcome, JobHandler } from './job-handler.js';

/**
 * Bulk domain deletes, one domain per batch. Whether a domain must be empty was decided when
 * the request was accepted (`cascade`), and is checked again here because mailboxes may have
 * been added since.
 */
export const deleteDomainsHandler: JobHandler<undefined> = {
  batchSize: () => 1,
  prepare: async () => undefined,
  async apply(ctx, trx, job, items) {
    const { cascade } = JSON.parse(job.params) as { cascade: boolean };
    const outcome: ItemOutcome = { done: [], failed: [], logins: [] };
    await lockAccount(trx, job.account_id);
    const now = ctx.clock().toISOString();
    for (const item of items) {
      const domain = await findDomain(trx, job.account_id, item.target);
      if (!domain) {
        outcome.failed.push({
          seq: item.seq,
          code: 'domain_not_found',
          message: `${item.target} no longer exists.`,
        });
        continue;
      }
      const deps = await countDependents(trx, domain.id);
      if (!cascade && (deps.subdomains > 0 || deps.mailboxes > 0)) {
        outcome.failed.push({
          seq: item.seq,
          code: 'domain_in_use',
          message: `${domain.name} has ${deps.subdomains} sub-domain(s) and ${deps.mailboxes} mailbox(es): remove them, or send "cascade": true.`,
        });
        continue;
      }
      const { addresses, ...removed } = await deleteDomainTree(trx, domain.id);
      outcome.done.push(item.seq);
      outcome.logins!.push(...addresses);
      await appendEvents(trx, [
        {
          accountId: job.account_id,
          actor: job.actor,
          action: 'domain.deleted',
          target: domain.name,
          details: { job: job.id, cascade, ...removed },
          now,
        },
      ]);
    }
    return outcome;
  },
};
