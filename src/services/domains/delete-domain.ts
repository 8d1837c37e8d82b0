import { conflict } from '../../core/errors.js';
import { aliasesOnDomain } from '../../store/aliases.js';
import { countDependents, deleteDomain as deleteDomainRow } from '../../store/domains.js';
import { appendEvent } from '../../store/events.js';
import { pendingJobsOn } from '../../store/jobs.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from './get-domain.js';

const inUse = (name: string, deps: { subdomains: number; mailboxes: number }) =>
  conflict(
    'domain_in_use',
    `${name} still has ${deps.subdomains} sub-domain(s) and ${deps.mailboxes} mailbox(es): remove them first.`,
    deps,
  );

const aliasesLeft = (name: string, aliases: { count: number; first: string[] }) =>
  conflict(
    'domain_in_use',
    `${name} still has ${aliases.count} alias(es) (${aliases.first.join(', ')}${aliases.count > aliases.first.length ? ', …' : ''}): delete them first (mailwright alias remove ADDRESS, or DELETE /v1/aliases/{address}).`,
    { aliases: aliases.count, first: aliases.first },
  );

/** Names each job that still has mailboxes to create on the domain, and the way out. */
function pendingJobs(name: string, jobs: { jobId: string; pending: number }[]) {
  const counts = jobs.map(
    (j) =>
      `${j.pending} mailbox${j.pending === 1 ? ' is' : 'es are'} still pending in job ${j.jobId}`,
  );
  const [only] = jobs;
  const cancel =
    jobs.length === 1 && only
      ? `Cancel the job (mailwright jobs cancel ${only.jobId}, or POST /v1/jobs/${only.jobId}/cancel)`
      : 'Cancel the jobs (mailwright jobs cancel ID, or POST /v1/jobs/{id}/cancel)';
  return conflict(
    'domain_in_use',
    `${name} cannot be deleted yet: ${counts.join('; ')}. ${cancel} or wait until ${jobs.length === 1 ? 'it has' : 'they have'} finished.`,
    { jobs },
  );
}

/** Refuses while anything lives under the domain: deleting mail identities is never implicit. */
export async function deleteDomain(ctx: ServiceContext, actor: Actor, name: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const domain = await requireDomain(ctx, actor, name, 'name', trx);
    const jobs = await pendingJobsOn(trx, domain.id);
    if (jobs.length > 0) throw pendingJobs(domain.name, jobs);
    const deps = await countDependents(trx, domain.id);
    if (deps.subdomains > 0 || deps.mailboxes > 0) throw inUse(domain.name, deps);
    const aliases = await aliasesOnDomain(trx, domain.id);
    if (aliases.count > 0) throw aliasesLeft(domain.name, aliases);
    try {
      await deleteDomainRow(trx, domain.id);
    } catch (error) {
      // A mailbox added concurrently makes the foreign key refuse the delete.
      if (isForeignKeyViolation(error))
        throw inUse(domain.name, await countDependents(ctx.store.db, domain.id));
      throw error;
    }
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'domain.deleted',
      target: domain.name,
      now: nowIso(ctx),
    });
  });
}

function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
