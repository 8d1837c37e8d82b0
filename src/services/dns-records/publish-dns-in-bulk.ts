import type { Actor, ServiceContext } from '../context.js';
import { queueDomainJob, type DomainSelection } from '../domains/support/queue-domain-job.js';
import type { Job } from '../jobs/support/job-view.js';
import { requireDnsProvider } from './publish-dns.js';

/**
 * Publishes many domains' records as one job (`jobs/handlers/domain-action-handler.ts` runs
 * `publishDns` for each): the listed ones, or with `pending` every domain whose records were
 * never checked live or were failing when last checked.
 */
export function publishDnsInBulk(
  ctx: ServiceContext,
  actor: Actor,
  input: DomainSelection,
): Promise<{ job: Job; domains: string[] }> {
  requireDnsProvider(ctx);
  return queueDomainJob(
    ctx,
    actor,
    {
      kind: 'publish_dns',
      pending: 'dns_not_ready',
      pendingText: 'missing DNS records (every domain checked out live)',
    },
    input,
  );
}
