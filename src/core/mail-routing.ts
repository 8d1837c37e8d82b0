import { fail, ok, type Checked } from './errors.js';
import { checkHostname } from './hostname.js';
import { checkLocalPart } from './local-part.js';
import { checkOperatorEmail } from './operator-email.js';

/**
 * Aliases, catch-alls and mailbox forwarding: where mail to an address goes. The mail plane
 * reads the result through the `mail_aliases` view (docs/mail-plane.md); these are the input
 * rules, the same for the API, the CLI and the console.
 */

export interface AliasAddress {
  /** `sales@example.com`, or `@sales.example.com` for a catch-all. */
  address: string;
  /** The hostname (A-label) the address belongs to. */
  domain: string;
  catchAll: boolean;
}

const EXAMPLE = 'for example sales@example.com, or @example.com for a catch-all';

/**
 * An alias's own address: a local part under the mailbox rules (so an alias could become a
 * mailbox and back), or nothing before the @ for the domain's catch-all.
 */
export function checkAliasAddress(input: string): Checked<AliasAddress> {
  const typed = input.trim().toLowerCase();
  if (typed === '') return fail('required', `Enter the alias's address, ${EXAMPLE}.`);
  const at = typed.lastIndexOf('@');
  if (at < 0) return fail('invalid_address', `Enter a whole address with an @, ${EXAMPLE}.`);
  const host = checkHostname(typed.slice(at + 1));
  if (!host.ok) return fail(host.code, `After the @: ${host.message}`);
  const domain = host.value.name;
  if (at === 0) return ok({ address: `@${domain}`, domain, catchAll: true });
  const local = checkLocalPart(typed.slice(0, at), domain);
  if (!local.ok) return local;
  return ok({ address: `${local.value}@${domain}`, domain, catchAll: false });
}

/** Where mail may go: any syntactically valid address, here or at any provider. */
export function checkTargetAddress(input: string): Checked<string> {
  if (input.trim() === '') {
    return fail('required', 'Enter an address to deliver to, for example josh@example.com.');
  }
  return checkOperatorEmail(input);
}

/** The hostname of a checked address (`@domain` included). */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/** The key of the catch-all that would take an address, as Postfix looks it up. */
export const catchAllKey = (address: string): string => `@${domainOf(address)}`;

/**
 * Where one routing entry sends mail: an alias's or catch-all's targets, or a mailbox's
 * forwarding targets (without the mailbox itself: a kept copy ends there).
 */
export type NextHops = (address: string) => Promise<readonly string[]>;

/**
 * The loop a new set of targets for `start` would close, or undefined. Walks every address
 * mail to `start` can reach (aliases, catch-alls and forwards, as `hops` resolves them, with
 * `start`'s new targets in place of its current ones) and returns the path back to `start`.
 * Every earlier write passed this check, so the only possible loop runs through `start`.
 */
export async function findRoutingCycle(
  start: string,
  targets: readonly string[],
  hops: NextHops,
): Promise<string[] | undefined> {
  const seen = new Set<string>([start]);
  let frontier: string[][] = targets.map((t) => [start, t]);
  while (frontier.length > 0) {
    const next: string[][] = [];
    for (const path of frontier) {
      const at = path[path.length - 1]!;
      if (at === start) return path;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const hop of await hops(at)) next.push([...path, hop]);
    }
    frontier = next;
  }
  return undefined;
}

/** Mailboxes one bulk forwarding change may name (a job item each). */
export const MAX_BULK_FORWARDING_MAILBOXES = 1_000;
