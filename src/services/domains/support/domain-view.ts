import { hostnameWarnings, type NameWarning } from '../../../core/mixed-script.js';
import { verificationRecord } from '../../../core/verification.js';
import type { CheckSummary } from '../../../dns/record-checker.js';
import type { DomainRecord } from '../../../store/domains.js';

/** The API's Domain representation; every adapter shows domains through this one shape. */
export interface Domain {
  id: string;
  name: string;
  unicodeName: string;
  kind: 'root' | 'subdomain';
  parent: string | null;
  status: 'pending' | 'verified';
  verification: { type: 'TXT'; host: string; value: string };
  /** Mailbox slots of this hostname. */
  mailboxLimit: number;
  /** Storage pool (MB) its mailboxes' quotas share. */
  quotaMb: number;
  mailboxCount: number;
  /** From the last live check: ready when every planned record was found as planned. */
  dns: { ready: boolean; checkedAt: string | null; failing: CheckSummary['failing'] };
  /** A name that can pass for another (mixed scripts): shown with its A-label, and warned of. */
  warnings: NameWarning[];
  /** Root domains: where web visitors are redirected (301), and the tracking CNAME's target. */
  redirectTo: string | null;
  trackingCname: string | null;
  /** Its own relay (`[host]:port`); null: its root's (a sub-domain), else the global relay. */
  relayHost: string | null;
  createdAt: string;
}

export function toDomain(row: DomainRecord): Domain {
  return {
    id: row.id,
    name: row.name,
    unicodeName: row.unicode_name,
    kind: row.kind,
    parent: row.parent_name,
    status: row.status,
    verification: verificationRecord(row.parent_name ?? row.name, row.verification_token),
    mailboxLimit: row.effective_mailbox_limit,
    quotaMb: row.quota_mb,
    mailboxCount: row.mailbox_count,
    dns: dnsReadiness(row),
    warnings: hostnameWarnings(row.name, row.unicode_name),
    redirectTo: row.redirect_to,
    trackingCname: row.tracking_cname,
    relayHost: row.relay_host,
    createdAt: row.created_at,
  };
}

function dnsReadiness(row: DomainRecord): Domain['dns'] {
  const failing = row.dns_failing ? (JSON.parse(row.dns_failing) as CheckSummary['failing']) : [];
  return {
    ready: row.dns_checked_at !== null && failing.length === 0,
    checkedAt: row.dns_checked_at,
    failing,
  };
}
