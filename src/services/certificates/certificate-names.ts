import { mtaStsDomainOf, mtaStsHost } from '../../core/certificates.js';
import { AppError, orThrow, ValidationError } from '../../core/errors.js';
import { checkHostname } from '../../core/hostname.js';
import { isVerifiedDomain } from '../../store/domains.js';
import type { Actor, ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';

/**
 * The names this host asks a CA for: its mail host, and `mta-sts.<domain>` of a verified domain
 * (of the actor's account; the host's operator, with no actor, any account's). Anything else is
 * refused before the CA is asked: a CA's rate limits count failed validations too.
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
    throw new ValidationError(
      'name',
      'certificate_name_not_allowed',
      `Certificates are issued for the mail host ${ctx.dnsSettings.mailHost} and for mta-sts.<domain> of verified domains, not for ${name}.`,
    );
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
