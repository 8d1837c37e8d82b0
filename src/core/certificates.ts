/**
 * The rules of the certificates Mailwright obtains itself (ACME): which names, when renewed,
 * when a check calls one failing. One certificate per host name, so no CA's names-per-certificate
 * ceiling ever applies and one failed name never holds back the others.
 */

/** Let's Encrypt's production directory, the default CA (MAILWRIGHT_ACME_DIRECTORY_URL). */
export const DEFAULT_ACME_DIRECTORY_URL = 'https://acme-v02.api.letsencrypt.org/directory';

/** A certificate is renewed this many days before it expires (what Let's Encrypt advises). */
export const RENEW_DAYS_BEFORE_EXPIRY = 30;

/**
 * `doctor` reports a certificate with fewer days left than this: renewal, due 30 days before,
 * has been failing for over two weeks.
 */
export const CERTIFICATE_MIN_DAYS_LEFT = 14;

/** The running server looks for certificates due for renewal this often (and at start). */
export const RENEWAL_CHECK_INTERVAL_MS = 12 * 3_600_000;

const DAY_MS = 86_400_000;

/** Whole days from `now` until `notAfter`; negative once expired. */
export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

export function isDueForRenewal(notAfter: Date, now: Date): boolean {
  return notAfter.getTime() - now.getTime() < RENEW_DAYS_BEFORE_EXPIRY * DAY_MS;
}

/** The host serving a domain's MTA-STS policy (RFC 8461 §3.3). */
export const mtaStsHost = (domain: string): string => `mta-sts.${domain}`;

/** The domain whose MTA-STS host `name` is, or null when it is not one. */
export function mtaStsDomainOf(name: string): string | null {
  const prefix = mtaStsHost('');
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : null;
}

// `WEB_HOSTS.www` of dns-plan.ts, which the console must not import (it reaches node:crypto).
const WWW = 'www.';

/**
 * The host names a root domain with a web redirect answers (with a 301) and so needs a
 * certificate for: the domain itself and its `www.` (the names `dns-plan.ts` points here).
 */
export const webHosts = (domain: string): [string, string] => [domain, `${WWW}${domain}`];

/**
 * The domains whose web host `name` may be: itself, and the domain below a leading `www.`.
 * Which of them is a root domain with a redirect only the store knows.
 */
export function webDomainCandidates(name: string): string[] {
  return name.startsWith(WWW) && name.slice(WWW.length).includes('.')
    ? [name, name.slice(WWW.length)]
    : [name];
}
