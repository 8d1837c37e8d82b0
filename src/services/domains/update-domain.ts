import { IssueCollector } from '../../core/errors.js';
import { checkDomainQuotaMb, checkMailboxLimit } from '../../core/limits.js';
import { findDomain, updateDomain as updateDomainRow } from '../../store/domains.js';
import { appendEvent } from '../../store/events.js';
import { capacityCounts, lockAccount, readLimits } from '../../store/limits.js';
import type { DomainUpdate } from '../../store/schema.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { requireDomain } from './get-domain.js';

/** Resizes a hostname; never below what its mailboxes (and planned ones) already use. */
export async function updateDomain(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  input: { mailboxLimit?: number; quotaMb?: number },
): Promise<Domain> {
  const found = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const domain = await requireDomain(ctx, actor, name, 'name', trx);
    const limits = await readLimits(trx, actor.accountId);
    const usage = await capacityCounts(trx, {
      domainId: domain.id,
      accountId: actor.accountId,
      since: nowIso(ctx),
    });
    const issues = new IssueCollector();
    const changes: DomainUpdate = {};
    if (input.mailboxLimit !== undefined) {
      const value = issues.check(
        'mailboxLimit',
        checkMailboxLimit(input.mailboxLimit, limits.maxMailboxesPerDomain),
      );
      if (value !== undefined && value < usage.mailboxes) {
        issues.add(
          'mailboxLimit',
          'below_usage',
          `${domain.name} already holds ${usage.mailboxes} mailboxes: enter at least ${usage.mailboxes}, or remove mailboxes first.`,
        );
      } else if (value !== undefined) changes.mailbox_limit = value;
    }
    if (input.quotaMb !== undefined) {
      const value = issues.check('quotaMb', checkDomainQuotaMb(input.quotaMb));
      if (value !== undefined && value < usage.quotaMb) {
        issues.add(
          'quotaMb',
          'below_usage',
          `${domain.name}'s mailboxes already have ${usage.quotaMb} MB of quota: enter at least ${usage.quotaMb}, or shrink their quotas first.`,
        );
      } else if (value !== undefined) changes.quota_mb = value;
    }
    issues.throwIfAny();
    if (Object.keys(changes).length === 0) return domain;
    await updateDomainRow(trx, domain.id, changes);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'domain.updated',
      target: domain.name,
      details: { ...input },
      now: nowIso(ctx),
    });
    return (await findDomain(trx, actor.accountId, domain.name))!;
  });
  return toDomain(found);
}
