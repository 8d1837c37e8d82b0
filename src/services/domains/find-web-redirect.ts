import { isIP } from 'node:net';
import { WEB_HOSTS } from '../../core/dns-plan.js';
import { findRedirect } from '../../store/domains.js';
import type { ServiceContext } from '../context.js';

/**
 * Where a web request for `host` (a Host header, port included or not) is redirected: the
 * `redirectTo` of the root domain it names, directly or as `www.`; undefined for any other host,
 * including the mail host the API and console are reached at. Any account's domain counts: the
 * visitor is not signed in, and a domain's name is unique across accounts.
 */
export async function findWebRedirect(
  ctx: ServiceContext,
  host: string,
): Promise<string | undefined> {
  const name = host.replace(/:\d*$/, '').toLowerCase().replace(/\.$/, '');
  // Addresses and single labels (localhost) name no domain; checked before any query.
  if (name === ctx.dnsSettings.mailHost || !name.includes('.') || isIP(name) !== 0) return;
  if (name.startsWith('[')) return;
  const www = `${WEB_HOSTS.www}.`;
  return findRedirect(ctx.store.db, name.startsWith(www) ? name.slice(www.length) : name);
}
