import { fail, ok, type Checked } from './errors.js';
import { checkRootDomain } from './hostname.js';
import { MAX_TOKEN_DOMAINS } from './token-scopes.js';

/**
 * A token's domain list as typed: root domains, normalised to A-labels, each once. An empty
 * list would be a token that sees nothing; leave the list out for every domain instead.
 */
export function checkTokenDomains(input: readonly string[]): Checked<string[]> {
  if (input.length === 0) {
    return fail(
      'required',
      'Name at least one root domain, or leave "domains" out for a token that reaches every domain.',
    );
  }
  if (input.length > MAX_TOKEN_DOMAINS) {
    return fail(
      'too_many_items',
      `Name at most ${MAX_TOKEN_DOMAINS} domains per token (this has ${input.length}).`,
    );
  }
  const roots = new Set<string>();
  for (const typed of input) {
    const checked = checkRootDomain(typed);
    if (!checked.ok) return fail(checked.code, `${typed}: ${checked.message}`);
    roots.add(checked.value.name);
  }
  return ok([...roots]);
}
