import { AppError, fail, ok, type Checked } from './errors.js';

/**
 * What an API token may do. Each API route needs exactly one scope (its `scope` in
 * src/http/routes, listed per operation in openapi.json); `admin` grants every one, and is what
 * tokens made before scopes existed hold. No scope implies another: a token is given what it
 * uses, by name.
 */
export const SCOPES = [
  'domains:read',
  'domains:write',
  'mailboxes:read',
  'mailboxes:write',
  'aliases:read',
  'aliases:write',
  'dns:write',
  'jobs:read',
  'credentials:read',
  'tokens:write',
  'webhooks:write',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];

/** What each scope allows, as the console and the CLI's help say it. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  'domains:read': 'see domains, sub-domains, their DNS records and certificates',
  'domains:write':
    'add, verify, resize and delete domains and sub-domains, obtain their MTA-STS certificates',
  'mailboxes:read': 'see mailboxes',
  'mailboxes:write': 'create, change and delete mailboxes (single, bulk, import), cancel jobs',
  'aliases:read': 'see aliases and catch-alls',
  'aliases:write': 'create, change and delete aliases and catch-alls',
  'dns:write': 'publish DNS records, rotate and retire DKIM keys',
  'jobs:read': 'follow jobs',
  'credentials:read': 'download the passwords a job generated (once)',
  'tokens:write': 'list, create and revoke API tokens (never wider than its own)',
  'webhooks:write':
    'list, add and remove webhook endpoints and see their deliveries (not with a domain limit)',
  admin: 'everything, including the audit log and the account limits',
};

/** A token's root domains; it sees and changes only them and their sub-domains. */
export const MAX_TOKEN_DOMAINS = 100;

/** What an authenticated API token may reach; a console session has no such limits. */
export interface TokenAccess {
  tokenId: string;
  scopes: readonly Scope[];
  /** A-label roots, or null for every domain of the account. */
  domains: readonly string[] | null;
}

export const FULL_ACCESS_SCOPES: readonly Scope[] = ['admin'];

export function hasScope(scopes: readonly Scope[], needed: Scope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

export function insufficientScope(needed: Scope): AppError {
  return new AppError(
    'forbidden',
    'insufficient_scope',
    `This API token lacks the "${needed}" scope: create a token with it (\`mailwright token create --scope ${needed}\`) or use one that has it.`,
    [],
    { scope: needed },
  );
}

/**
 * Whether a domain name (A-label) is one of the roots or below one. `null` roots: no
 * restriction. Mailbox addresses are checked by their domain part.
 */
export function withinDomains(roots: readonly string[] | null, name: string): boolean {
  if (roots === null) return true;
  return roots.some((root) => name === root || name.endsWith(`.${root}`));
}

export const domainOfAddress = (address: string): string =>
  address.slice(address.lastIndexOf('@') + 1);

/** Scopes as typed, each once; `admin` with others is just `admin`. */
export function checkTokenScopes(input: readonly string[]): Checked<Scope[]> {
  if (input.length === 0) {
    return fail('required', `Give the token at least one scope: ${SCOPES.join(', ')}.`);
  }
  const unknown = input.find((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined) {
    return fail('unknown_scope', `"${unknown}" is not a scope; use ${SCOPES.join(', ')}.`);
  }
  const scopes = [...new Set(input as Scope[])];
  return ok(scopes.includes('admin') ? ['admin'] : SCOPES.filter((s) => scopes.includes(s)));
}

/**
 * A token may hand out only what it has: no scope it lacks, no domain outside its own. Creating
 * or revoking a token checks this, so a narrowed token cannot widen itself.
 */
export function coversAccess(
  holder: Pick<TokenAccess, 'scopes' | 'domains'>,
  other: Pick<TokenAccess, 'scopes' | 'domains'>,
): boolean {
  const scopesCovered = other.scopes.every((s) => hasScope(holder.scopes, s));
  const domainsCovered =
    holder.domains === null ||
    (other.domains !== null && other.domains.every((d) => withinDomains(holder.domains, d)));
  return scopesCovered && domainsCovered;
}
