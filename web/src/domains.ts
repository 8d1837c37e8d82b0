import type { Domain } from './api/types';

export type Tone = 'neutral' | 'success' | 'warning' | 'danger';

/** The one status a person needs to see first: can this hostname hold working mailboxes? */
export function domainHealth(domain: Domain): { label: string; tone: Tone } {
  if (domain.status === 'pending') return { label: 'Pending', tone: 'warning' };
  if (domain.dns.failing.length > 0) return { label: 'DNS issues', tone: 'danger' };
  return { label: 'Verified', tone: 'success' };
}

/**
 * A name for people to read: the Unicode form, with the A-label beside it when the name mixes
 * scripts and could pass for another (`аpple.com (xn--pple-43d.com)`).
 */
export const shownName = (domain: Pick<Domain, 'name' | 'unicodeName' | 'warnings'>): string =>
  domain.warnings.length > 0 ? `${domain.unicodeName} (${domain.name})` : domain.unicodeName;

/** Roots in name order, each with its sub-domains. */
export function nestDomains(domains: Domain[]): { root: Domain; children: Domain[] }[] {
  return domains
    .filter((d) => d.kind === 'root')
    .map((root) => ({ root, children: domains.filter((d) => d.parent === root.name) }));
}

/** Every domain in the order nestDomains shows them: each root followed by its sub-domains. */
export const inTreeOrder = (domains: Domain[]): Domain[] =>
  nestDomains(domains).flatMap(({ root, children }) => [root, ...children]);
