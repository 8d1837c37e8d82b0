import { AppError } from '../core/errors.js';
import { mtaStsPolicy } from '../core/mta-sts.js';
import { isVerifiedDomain } from '../store/domains.js';
import type { ServiceContext } from './context.js';

const POLICY_HOST_PREFIX = 'mta-sts.';

/**
 * The MTA-STS policy asked for at `mta-sts.<domain>` (RFC 8461 §3.3). Sending servers fetch it
 * anonymously, so it needs no token, and it is served only for verified hostnames: a pending
 * domain's owner has not shown that its mail should come here.
 */
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
  return mtaStsPolicy(ctx.dnsSettings.mtaStsMode, ctx.dnsSettings.mailHost);
}
