import type { Actor, ServiceContext } from '../context.js';
import type { Job } from '../jobs/support/job-view.js';
import { queueDomainJob, type DomainSelection } from './support/queue-domain-job.js';

/**
 * Verifies many domains as one job (`jobs/handlers/domain-action-handler.ts` runs
 * `verifyDomain` for each): the listed ones, or with `pending` every unverified root.
 */
export function verifyDomains(
  ctx: ServiceContext,
  actor: Actor,
  input: DomainSelection,
): Promise<{ job: Job; domains: string[] }> {
  return queueDomainJob(
    ctx,
    actor,
    { kind: 'verify_domains', pending: 'unverified', pendingText: 'waiting to be verified' },
    input,
  );
}
