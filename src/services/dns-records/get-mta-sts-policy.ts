import { AppError } from '../../core/errors.js';
import { checkHostname } from '../../core/hostname.js';
import { mtaStsPolicy } from '../../core/mta-sts.js';
import { isVerifiedDomain } from '../../store/domains.js';
import type { ServiceContext } from '../context.js';

const POLICY_HOST_PREFIX = 'mta-sts.';

/**
 * The MTA-STS policy asked for at `mta-sts.<domain>` (RFC 8461 §3.3). Sending servers fetch it
 * anonymously, so it needs no token, and it is served only for verified hostnames: a pending
 * domain's owner has not shown that its mail should come here.
 */
/**
 * Why no policy can name this mail host, or undefined. Senders match the `mx:` line against
 * the MX host's certificate (RFC 8461 §4.1), so it must be a fully qualified name; the
 * machine's own hostname (`vm`), the default of MAILWRIGHT_MAIL_HOST, usually is not.
 */
export function mtaStsMailHostProblem(mailHost: string): string | undefined {
  return checkHostname(mailHost).ok
    ? undefined
    : `MAILWRIGHT_MAIL_HOST is "${mailHost}", not a fully qualified host name such as mx.example.net: no MTA-STS policy is served until it is set to the MX host.`;
}

export async function getMtaStsPolicy(ctx: ServiceContext, requestHost: string): Promise<string> {
  const host = requestHost.toLowerCase().replace(/\.$/, '');
  const domain = host.startsWith(POLICY_HOST_PREFIX) ? host.slice(POLICY_HOST_PREFIX.length) : '';
  if (!domain || !(await isVerifiedDomain(ctx.store.db, domain))) {
    throw new AppError(
      'not_found',
      'mta_sts_policy_not_found',
      `No MTA-STS policy for ${host}: policies are served at mta-sts.<domain> for verified domains only.`,
    );
  }
  const hostProblem = mtaStsMailHostProblem(ctx.dnsSettings.mailHost);
  if (hostProblem) throw new AppError('not_found', 'mta_sts_mail_host_not_fqdn', hostProblem);
  return mtaStsPolicy(ctx.dnsSettings.mtaStsMode, ctx.dnsSettings.mailHost);
}
