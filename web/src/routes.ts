/** Every page of the console and the path it lives at. */
export type Route =
  | { page: 'domains' }
  | { page: 'add-domain' }
  | { page: 'add-domains' }
  | { page: 'domain'; name: string }
  | { page: 'add-subdomain'; parent: string | null }
  | { page: 'mailboxes' }
  | { page: 'add-mailbox'; domain: string | null }
  | { page: 'aliases' }
  | { page: 'activity' }
  | { page: 'tokens' }
  | { page: 'two-factor' }
  | { page: 'not-found' };

export function routeOf(path: string, query: URLSearchParams): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (parts.length === 0) return { page: 'domains' };
  if (first === 'domains') {
    if (parts.length === 1) return { page: 'domains' };
    if (second === 'new' && parts.length === 2) return { page: 'add-domain' };
    // Not a domain's page: a root hostname always has a dot.
    if (second === 'batch' && parts.length === 2) return { page: 'add-domains' };
    if (second && parts.length === 2) return { page: 'domain', name: second };
  }
  if (first === 'subdomains' && second === 'new' && !third)
    return { page: 'add-subdomain', parent: query.get('domain') };
  if (first === 'mailboxes') {
    if (parts.length === 1) return { page: 'mailboxes' };
    if (second === 'new' && parts.length === 2)
      return { page: 'add-mailbox', domain: query.get('domain') };
  }
  if (first === 'aliases' && parts.length === 1) return { page: 'aliases' };
  if (first === 'activity' && parts.length === 1) return { page: 'activity' };
  if (first === 'tokens' && parts.length === 1) return { page: 'tokens' };
  if (first === 'two-factor' && parts.length === 1) return { page: 'two-factor' };
  return { page: 'not-found' };
}

export const paths = {
  domains: '/domains',
  addDomain: '/domains/new',
  addDomains: '/domains/batch',
  domain: (name: string) => `/domains/${encodeURIComponent(name)}`,
  addSubdomain: (parent?: string) =>
    parent ? `/subdomains/new?domain=${encodeURIComponent(parent)}` : '/subdomains/new',
  mailboxes: '/mailboxes',
  addMailbox: (domain?: string) =>
    domain ? `/mailboxes/new?domain=${encodeURIComponent(domain)}` : '/mailboxes/new',
  aliases: '/aliases',
  activity: '/activity',
  tokens: '/tokens',
  twoFactor: '/two-factor',
};
