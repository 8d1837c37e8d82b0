import {
  mtaStsDomainOf,
  mtaStsHost,
  webDomainCandidates,
  webHosts,
} from '../../core/certificates.js';
import { AppError, orThrow, ValidationError } from '../../core/errors.js';
import { checkHostname } from '../../core/hostname.js';
import { withinDomains } from '../../core/token-scopes.js';
import { findDomain, findWebDomain, isVerifiedDomain } from '../../store/domains.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';

/** What decides whether a domain's web hosts get certificates. */
export interface WebDomainState {
  name: string;
  kind: 'root' | 'subdomain';
  verified: boolean;
  redirectTo: string | null;
}

/**
 * The names this host asks a CA for: its mail host, `mta-sts.<domain>` of a verified domain,
 * and `<domain>` and `www.<domain>` of a verified root domain with a web redirect (the hosts
 * it answers with a 301, docs/dns.md). Domains are the actor's account's; the host's operator,
 * with no actor, any account's. Anything else is refused before the CA is asked: a CA's rate
 * limits count failed validations too.
 */
export async function checkCertificateName(
  ctx: ServiceContext,
  input: string,
  actor?: Actor,
): Promise<string> {
  const { name } = orThrow('name', checkHostname(input));
  if (name === ctx.dnsSettings.mailHost) return name;
  const domain = mtaStsDomainOf(name);
  if (domain === null) {
    const web = await webDomainOf(ctx, name, actor);
    if (!web) {
      throw new ValidationError(
        'name',
        'certificate_name_not_allowed',
        `Certificates are issued for the mail host ${ctx.dnsSettings.mailHost}, for mta-sts.<domain> of verified domains and for <domain> and www.<domain> of verified root domains with a web redirect, not for ${name}.`,
      );
    }
    requireWebRedirect(web);
    return name;
  }
  const verified = actor
    ? (await requireDomain(ctx, actor, domain)).status === 'verified'
    : await isVerifiedDomain(ctx.store.db, domain);
  if (!verified) {
    throw new AppError(
      'conflict',
      'domain_not_verified',
      `${domain} is not verified, so no certificate is issued for ${mtaStsHost(domain)}: verify the domain first (mailwright domain verify ${domain}).`,
    );
  }
  return name;
}

/**
 * Refuses web certificates for a domain this host serves no web request of: one not verified
 * (anyone could have added it), a sub-domain, or a root domain without `redirectTo`.
 */
export function requireWebRedirect(domain: WebDomainState): void {
  const hosts = webHosts(domain.name).join(' and ');
  if (!domain.verified) {
    throw new AppError(
      'conflict',
      'domain_not_verified',
      `${domain.name} is not verified, so no certificate is issued for ${hosts}: verify the domain first (mailwright domain verify ${domain.name}).`,
      [
        {
          field: 'name',
          code: 'domain_not_verified',
          message: `Verify ${domain.name} first.`,
        },
      ],
    );
  }
  if (domain.kind !== 'root' || domain.redirectTo === null) {
    const fix =
      domain.kind === 'root'
        ? `set one first (PATCH /v1/domains/${domain.name} {"redirectTo": "https://…"}, or mailwright domain update ${domain.name} --redirect-to https://…)`
        : 'only a root domain has one';
    throw new AppError(
      'conflict',
      'no_web_redirect',
      `${domain.name} has no web redirect (redirectTo), so this host answers no web request for ${hosts} and obtains no certificate for them: ${fix}.`,
      [
        {
          field: 'redirectTo',
          code: 'no_web_redirect',
          message: `Set a redirect on ${domain.name} first.`,
        },
      ],
    );
  }
}

/**
 * A domain as the web certificates judge it: the actor's (404 for another account's), or with
 * no actor (the host's operator) any account's.
 */
export async function webDomain(
  ctx: ServiceContext,
  input: string,
  actor?: Actor,
): Promise<WebDomainState> {
  if (actor) return webState(await requireDomain(ctx, actor, input));
  const { name } = orThrow('name', checkHostname(input));
  const d = await findWebDomain(ctx.store.db, name);
  if (!d) throw new AppError('not_found', 'domain_not_found', `No domain "${name}" on this host.`);
  return webState(d);
}

const webState = (d: {
  name: string;
  kind: 'root' | 'subdomain';
  status: 'pending' | 'verified';
  redirect_to: string | null;
}): WebDomainState => ({
  name: d.name,
  kind: d.kind,
  verified: d.status === 'verified',
  redirectTo: d.redirect_to,
});

/**
 * The domain whose web host `name` is (itself, or below `www.`), or undefined when no domain
 * (of the actor's account; with no actor, of any) has either name.
 */
async function webDomainOf(
  ctx: ServiceContext,
  name: string,
  actor?: Actor,
): Promise<WebDomainState | undefined> {
  for (const candidate of webDomainCandidates(name)) {
    if (actor && !withinDomains(actorDomains(actor), candidate)) continue;
    const d = actor
      ? await findDomain(ctx.store.db, actor.accountId, candidate)
      : await findWebDomain(ctx.store.db, candidate);
    if (d) return webState(d);
  }
  return undefined;
}

/** The CA behind this host, or a clear refusal where none is wired (no data dir). */
export function certificateAuthority(ctx: ServiceContext) {
  if (!ctx.certificates) {
    throw new AppError(
      'conflict',
      'certificates_unavailable',
      'This server keeps no certificates of its own (no data dir).',
    );
  }
  return ctx.certificates;
}
