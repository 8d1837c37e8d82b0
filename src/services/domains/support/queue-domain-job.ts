import { conflict, IssueCollector, orThrow } from '../../../core/errors.js';
import { checkHostname } from '../../../core/hostname.js';
import { assertListSize, MAX_DOMAIN_NAMES } from '../../../core/limits.js';
import { withinDomains } from '../../../core/token-scopes.js';
import { domainNamesNeeding, findDomain } from '../../../store/domains.js';
import { lockAccount } from '../../../store/limits.js';
import { actorDomains, type Actor, type ServiceContext } from '../../context.js';
import { getJob } from '../../jobs/get-job.js';
import { queueJob } from '../../jobs/queue-job.js';
import type { Job } from '../../jobs/support/job-view.js';

/** Which domains a bulk action is for: listed by name, or every one that still needs it. */
export interface DomainSelection {
  names?: string[];
  pending?: boolean;
}

/** A bulk action over domains: the job kind and which domains `pending` stands for. */
export interface DomainAction {
  kind: 'verify_domains' | 'publish_dns';
  pending: 'unverified' | 'dns_not_ready';
  /** What `pending` means, for the message when nothing needs it. */
  pendingText: string;
}

/**
 * Queues one job item per selected domain, each with its own result and the job's progress.
 * Answers the names in the order they run, so a client can show a line per domain. The names
 * are checked before anything is written: an unknown or duplicate one is a 422 naming it.
 */
export async function queueDomainJob(
  ctx: ServiceContext,
  actor: Actor,
  action: DomainAction,
  input: DomainSelection,
): Promise<{ job: Job; domains: string[] }> {
  const listed = input.names !== undefined && input.names.length > 0;
  if (listed === (input.pending === true)) {
    orThrow('names', {
      ok: false,
      code: 'required',
      message:
        'List the domains in "names", or send "pending": true for every one that needs it (not both).',
    });
  }
  const { id, domains } = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const targets = listed
      ? await checkDomainList(trx, actor, input.names!)
      : await domainNamesNeeding(trx, actor.accountId, action.pending, actorDomains(actor));
    if (targets.length === 0) {
      throw conflict('nothing_pending', `No domain in this account is ${action.pendingText}.`);
    }
    const jobId = await queueJob(ctx, trx, actor, {
      kind: action.kind,
      params: listed ? {} : { pending: true },
      items: targets.map((target) => ({ target, status: 'pending' })),
      credentials: false,
      event: { action: `${action.kind}.requested`, target: `${targets.length} domain(s)` },
    });
    return { id: jobId, domains: targets };
  });
  ctx.onJobQueued?.();
  return { job: await getJob(ctx, actor, id), domains };
}

/** The listed domains' names, each found within the actor's reach; a 422 naming any other. */
export async function checkDomainList(
  db: ServiceContext['store']['db'],
  actor: Actor,
  names: string[],
  field = 'names',
): Promise<string[]> {
  assertListSize(field, names.length, MAX_DOMAIN_NAMES, 'domains');
  const issues = new IssueCollector();
  const targets: string[] = [];
  for (const [i, typed] of names.entries()) {
    const at = `${field}.${i}`;
    const hostname = issues.check(at, checkHostname(typed));
    if (!hostname) continue;
    const domain = withinDomains(actorDomains(actor), hostname.name)
      ? await findDomain(db, actor.accountId, hostname.name)
      : undefined;
    if (!domain) {
      issues.add(at, 'domain_not_found', `No domain ${hostname.name} in this account.`);
    } else if (targets.includes(domain.name)) {
      issues.add(at, 'duplicate', `${domain.name} is listed twice.`);
    } else {
      targets.push(domain.name);
    }
  }
  issues.throwIfAny();
  return targets;
}
