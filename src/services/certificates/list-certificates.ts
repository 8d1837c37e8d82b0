import {
  daysLeft,
  isDueForRenewal,
  mtaStsDomainOf,
  webDomainCandidates,
} from '../../core/certificates.js';
import { withinDomains } from '../../core/token-scopes.js';
import { existingDomainNames } from '../../store/domains.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { certificateAuthority } from './certificate-names.js';

export interface CertificateStatus {
  name: string;
  /** What the name is: the mail host, a domain's MTA-STS host, or a redirected domain's web host. */
  kind: 'mail_host' | 'mta_sts' | 'web';
  notBefore: string;
  notAfter: string;
  /** Whole days until it expires; negative once expired. */
  daysLeft: number;
  /** Within RENEW_DAYS_BEFORE_EXPIRY: the next renewal run replaces it. */
  renewalDue: boolean;
}

/**
 * The host's certificates. An actor (API, console) sees the mail host's, and the MTA-STS and
 * web hosts (`<domain>`, `www.<domain>`) of its own domains, never which other accounts'
 * domains this host serves; the host's operator (CLI, no actor) sees all.
 */
export async function listCertificates(
  ctx: ServiceContext,
  actor?: Actor,
): Promise<CertificateStatus[]> {
  const now = ctx.clock();
  let stored = await certificateAuthority(ctx).list();
  if (actor) {
    // The domains each name may belong to: of mta-sts.<domain>, <domain> itself, www.<domain>.
    const domainsOf = (name: string): string[] => {
      const mtaSts = mtaStsDomainOf(name);
      return mtaSts === null ? webDomainCandidates(name) : [mtaSts];
    };
    const domains = stored
      .flatMap((c) => domainsOf(c.name))
      .filter((d) => withinDomains(actorDomains(actor), d));
    const own = await existingDomainNames(ctx.store.db, actor.accountId, [...new Set(domains)]);
    stored = stored.filter(
      (c) => c.name === ctx.dnsSettings.mailHost || domainsOf(c.name).some((d) => own.has(d)),
    );
  }
  return stored.map((c) => ({
    name: c.name,
    kind:
      c.name === ctx.dnsSettings.mailHost
        ? 'mail_host'
        : mtaStsDomainOf(c.name) === null
          ? 'web'
          : 'mta_sts',
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    daysLeft: daysLeft(c.notAfter, now),
    renewalDue: isDueForRenewal(c.notAfter, now),
  }));
}
