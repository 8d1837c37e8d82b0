import type { Kysely } from 'kysely';
import type { Database } from '../../../store/schema.js';
import { checkRouteTargets } from '../../aliases/support/route-targets.js';
import type { Actor } from '../../context.js';
import type { Forwarding } from './mailbox-view.js';

/** Where mail also (keepCopy, the default) or only goes; null stops forwarding. */
export type ForwardingInput = { to: string[]; keepCopy?: boolean } | null;

/**
 * The forwarding asked for one mailbox, under the rules of alias targets (`checkRouteTargets`:
 * not the mailbox itself, no loop, at most maxAliasTargets, …); undefined leaves it as it is.
 */
export async function checkForwarding(
  db: Kysely<Database>,
  actor: Actor,
  address: string,
  input: ForwardingInput | undefined,
): Promise<Forwarding | null | undefined> {
  if (input === undefined || input === null) return input;
  const to = await checkRouteTargets(db, actor, input.to, {
    field: 'forwarding.to',
    start: address,
    selfHint: 'A mailbox keeps its own mail with keepCopy; list only where copies should go.',
  });
  return { to, keepCopy: input.keepCopy ?? true };
}
