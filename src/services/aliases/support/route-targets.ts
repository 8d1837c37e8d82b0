import { AppError, IssueCollector } from '../../../core/errors.js';
import {
  catchAllKey,
  checkTargetAddress,
  domainOf,
  findRoutingCycle,
} from '../../../core/mail-routing.js';
import { aliasExists, routingAt } from '../../../store/aliases.js';
import type { Database } from '../../../store/schema.js';
import { findDomain, verifiedByAnotherAccount } from '../../../store/domains.js';
import { readLimits } from '../../../store/limits.js';
import type { Kysely } from 'kysely';
import type { Actor } from '../../context.js';

export interface RouteTargetsCheck {
  /** Where the targets are read from in the request, e.g. `targets` or `forwarding.to`. */
  field: string;
  /** The alias, catch-all (`@host`) or mailbox whose mail goes to the targets. */
  start: string;
  /** What to tell someone who listed `start` among its own targets. */
  selfHint: string;
}

/**
 * The targets of an alias, catch-all or mailbox forward, checked against every rule before
 * anything is written: how many (`maxAliasTargets`), each a valid address, none twice, none the
 * address itself; on another account's hostname not found (404); on one of the account's own
 * hostnames an address that exists; and no loop through aliases, catch-alls and forwards.
 * Returns them normalised, in the order given.
 */
export async function checkRouteTargets(
  db: Kysely<Database>,
  actor: Actor,
  inputs: readonly string[],
  check: RouteTargetsCheck,
): Promise<string[]> {
  const { field, start } = check;
  const issues = new IssueCollector();
  const max = (await readLimits(db, actor.accountId)).maxAliasTargets;
  if (inputs.length === 0) {
    issues.add(field, 'required', 'Give at least one address to deliver to.');
  } else if (inputs.length > max) {
    issues.add(
      field,
      'limit_exceeded',
      `maxAliasTargets is ${max} for this account: give at most ${max} targets (this has ${inputs.length}), or ask the operator to raise the limit.`,
    );
  }
  const targets: string[] = [];
  inputs.forEach((input, i) => {
    const target = issues.check(`${field}.${i}`, checkTargetAddress(input));
    if (target === undefined) return;
    if (target === start) {
      issues.add(
        `${field}.${i}`,
        'target_is_self',
        `${target} is this address itself. ${check.selfHint}`,
      );
    } else if (targets.includes(target)) {
      issues.add(`${field}.${i}`, 'duplicate_target', `${target} is listed twice; list it once.`);
    } else {
      targets.push(target);
    }
  });
  issues.throwIfAny();

  for (const [i, target] of targets.entries()) {
    const domain = domainOf(target);
    if (await verifiedByAnotherAccount(db, actor.accountId, domain)) {
      // Another account's hostname is reported exactly like one that does not exist here.
      throw new AppError(
        'not_found',
        'target_not_found',
        `No mailbox or alias "${target}" in this account.`,
        [
          {
            field: `${field}.${i}`,
            code: 'target_not_found',
            message: `No mailbox or alias "${target}" in this account.`,
          },
        ],
      );
    }
    if (!(await findDomain(db, actor.accountId, domain))) continue;
    const here = await routingAt(db, target);
    const caught = catchAllKey(target) === start || (await aliasExists(db, catchAllKey(target)));
    if (here.kind === 'none' && !caught) {
      issues.add(
        `${field}.${i}`,
        'unknown_target',
        `${domain} is one of your hostnames, but no mailbox or alias there is ${target}: create it first, or correct the address.`,
      );
    }
  }
  issues.throwIfAny();

  const cycle = await findRoutingCycle(start, targets, async (address) => {
    const here = await routingAt(db, address);
    if (here.kind === 'alias') return here.targets;
    if (here.kind === 'mailbox') return here.targets.filter((t) => t !== address);
    const key = catchAllKey(address);
    return key === start || (await aliasExists(db, key)) ? [key] : [];
  });
  if (cycle) {
    const message = `Mail would go round in a loop: ${cycle.join(' → ')}. Remove a target that leads back to ${start}.`;
    throw new AppError(
      'validation',
      'routing_cycle',
      message,
      [{ field, code: 'routing_cycle', message }],
      {
        cycle,
      },
    );
  }
  return targets;
}
