import { IssueCollector, orThrow } from '../../core/errors.js';
import { withinDomains } from '../../core/token-scopes.js';
import { checkHostname } from '../../core/hostname.js';
import { assertListSize, MAX_BULK_DELETE_DOMAINS } from '../../core/limits.js';
import { countDependents, findDomain } from '../../store/domains.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import type { Job } from '../jobs/support/job-view.js';
import { queueDelete } from './support/queue-delete.js';

export function bulkDeleteDomains(
  ctx: ServiceContext,
  actor: Actor,
  input: { names: string[]; cascade?: boolean },
): Promise<Job> {
  assertListSize('names', input.names.length, MAX_BULK_DELETE_DOMAINS, 'domains');
  if (input.names.length === 0)
    orThrow('names', {
      ok: false,
      code: 'required',
      message: 'List at least one domain to delete.',
    });
  const cascade = input.cascade === true;
  return queueDelete(ctx, actor, 'bulk_delete_domains', async (trx) => {
    const issues = new IssueCollector();
    const targets: string[] = [];
    for (const [i, typed] of input.names.entries()) {
      const field = `names.${i}`;
      const hostname = issues.check(field, checkHostname(typed));
      if (!hostname) continue;
      const domain = withinDomains(actorDomains(actor), hostname.name)
        ? await findDomain(trx, actor.accountId, hostname.name)
        : undefined;
      if (!domain) {
        issues.add(field, 'domain_not_found', `No domain ${hostname.name} in this account.`);
        continue;
      }
      const deps = await countDependents(trx, domain.id);
      if (!cascade && (deps.subdomains > 0 || deps.mailboxes > 0)) {
        issues.add(
          field,
          'domain_in_use',
          `${domain.name} has ${deps.subdomains} sub-domain(s) and ${deps.mailboxes} mailbox(es): remove them first, or send "cascade": true to delete them with it.`,
        );
        continue;
      }
      if (targets.includes(domain.name))
        issues.add(field, 'duplicate', `${domain.name} is listed twice.`);
      else targets.push(domain.name);
    }
    issues.throwIfAny();
    return { targets, params: { cascade } };
  });
}
