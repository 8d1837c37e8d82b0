import { IssueCollector, orThrow } from '../core/errors.js';
import { checkHostname } from '../core/hostname.js';
import {
  assertListSize,
  MAX_BULK_DELETE_DOMAINS,
  MAX_BULK_DELETE_MAILBOXES,
} from '../core/limits.js';
import { countDependents, findDomain } from '../store/domains.js';
import { lockAccount } from '../store/limits.js';
import { findMailbox } from '../store/mailboxes.js';
import type { Actor, ServiceContext } from './context.js';
import { assertNoCooldown, bulkDeleteCooldownRule } from './cooldown.js';
import { getJob } from './get-job.js';
import type { Job } from './job-view.js';
import { queueJob } from './jobs/queue-job.js';

/**
 * Deletes are destructive, so they run as jobs with their own cooldown: one accepted request
 * of each kind per five minutes. A request refused by validation starts no cooldown.
 */
async function queueDelete(
  ctx: ServiceContext,
  actor: Actor,
  kind: 'bulk_delete_domains' | 'bulk_delete_mailboxes',
  validate: (
    trx: ServiceContext['store']['db'],
  ) => Promise<{ targets: string[]; params: Record<string, unknown> }>,
): Promise<Job> {
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const { targets, params } = await validate(trx);
    await assertNoCooldown(
      trx,
      actor.accountId,
      ctx.clock(),
      bulkDeleteCooldownRule(kind),
      'a bulk delete',
    );
    return queueJob(ctx, trx, actor, {
      kind,
      params,
      items: targets.map((target) => ({ target, status: 'pending' })),
      credentials: false,
      event: { action: `${kind}.requested`, target: `${targets.length} item(s)` },
    });
  });
  ctx.onJobQueued?.();
  return getJob(ctx, actor, id);
}

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
      const domain = await findDomain(trx, actor.accountId, hostname.name);
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

export function bulkDeleteMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: { addresses: string[] },
): Promise<Job> {
  assertListSize('addresses', input.addresses.length, MAX_BULK_DELETE_MAILBOXES, 'addresses');
  if (input.addresses.length === 0) {
    orThrow('addresses', {
      ok: false,
      code: 'required',
      message: 'List at least one address to delete.',
    });
  }
  return queueDelete(ctx, actor, 'bulk_delete_mailboxes', async (trx) => {
    const issues = new IssueCollector();
    const targets: string[] = [];
    for (const [i, typed] of input.addresses.entries()) {
      const address = typed.trim().toLowerCase();
      if (!(await findMailbox(trx, actor.accountId, address))) {
        issues.add(`addresses.${i}`, 'mailbox_not_found', `No mailbox ${address} in this account.`);
      } else if (targets.includes(address)) {
        issues.add(`addresses.${i}`, 'duplicate', `${address} is listed twice.`);
      } else targets.push(address);
    }
    issues.throwIfAny();
    return { targets, params: {} };
  });
}
