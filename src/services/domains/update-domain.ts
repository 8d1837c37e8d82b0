import { hasWebAddress } from '../../core/dns-plan.js';
import { IssueCollector, type Checked } from '../../core/errors.js';
import { checkDomainQuotaMb, checkMailboxLimit } from '../../core/limits.js';
import { checkRedirectUrl } from '../../core/redirect-url.js';
import { checkRelayHost } from '../../core/relay-host.js';
import { checkTrackingTarget } from '../../core/tracking-cname.js';
import { findDomain, updateDomain as updateDomainRow } from '../../store/domains.js';
import { appendEvent } from '../../store/events.js';
import { capacityCounts, lockAccount, readLimits } from '../../store/limits.js';
import type { DomainUpdate } from '../../store/schema.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { requireDomain } from './get-domain.js';

export interface DomainChanges {
  mailboxLimit?: number;
  quotaMb?: number;
  /** null removes it. */
  redirectTo?: string | null;
  trackingCname?: string | null;
  /** `[host]:port` its senders' mail leaves through; null removes it (a sub-domain: its root's). */
  relayHost?: string | null;
}

/**
 * Resizes a hostname, never below what its mailboxes (and planned ones) already use; sets or
 * clears a root's web redirect and tracking CNAME, and a hostname's own relay (a sub-domain
 * without one follows its root's: docs/mail-plane.md).
 */
export async function updateDomain(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  input: DomainChanges,
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
    const rootSetting = (
      field: 'redirectTo' | 'trackingCname',
      value: string | null | undefined,
      check: (input: string) => Checked<string>,
    ): string | null | undefined => {
      if (value === undefined || value === null) return value;
      if (domain.kind !== 'root') {
        issues.add(
          field,
          'root_only',
          `${domain.name} is a sub-domain: set ${field} on its root ${domain.parent_name}.`,
        );
        return undefined;
      }
      return issues.check(field, check(value));
    };
    const redirectTo = rootSetting('redirectTo', input.redirectTo, checkRedirectUrl);
    if (redirectTo && !hasWebAddress(ctx.dnsSettings.web)) {
      issues.add(
        'redirectTo',
        'no_web_address',
        "This server's web address is not configured: the operator sets MAILWRIGHT_WEB_IPV4, MAILWRIGHT_WEB_IPV6 or MAILWRIGHT_WEB_CNAME, then the redirect can be set.",
      );
    } else if (redirectTo !== undefined) changes.redirect_to = redirectTo;
    const tracking = rootSetting('trackingCname', input.trackingCname, checkTrackingTarget);
    if (tracking !== undefined) changes.tracking_cname = tracking;
    if (input.relayHost === null) changes.relay_host = null;
    else if (input.relayHost !== undefined) {
      const relay = issues.check('relayHost', checkRelayHost(input.relayHost));
      const offered = ctx.domainRelays ?? [];
      if (relay !== undefined && !offered.includes(relay)) {
        issues.add(
          'relayHost',
          'relay_not_offered',
          offered.length === 0
            ? 'This server offers no relays for domains: the operator lists them in MAILWRIGHT_DOMAIN_RELAYS, then one can be set.'
            : `Choose a relay this server offers: ${offered.join(', ')} (the operator adds others to MAILWRIGHT_DOMAIN_RELAYS).`,
        );
      } else if (relay !== undefined) changes.relay_host = relay;
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
