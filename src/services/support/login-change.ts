import type { Transaction } from 'kysely';
import { AUTH_CACHE_TTL_SECONDS } from '../../core/auth-cache.js';
import { AppError } from '../../core/errors.js';
import type { Database } from '../../store/schema.js';
import type { ServiceContext } from '../context.js';

/**
 * Makes the mail plane forget these cached logins; nothing to do without a mail plane. `saved`:
 * whether the change is committed already, which is what a client must be told when it fails.
 */
async function flushLogins(
  ctx: ServiceContext,
  addresses: readonly string[],
  saved: boolean,
): Promise<void> {
  if (addresses.length === 0 || !ctx.mailPlane) return;
  try {
    await ctx.mailPlane.flushAuth(addresses);
  } catch (error) {
    throw mailPlaneUnavailable(error, saved);
  }
}

/**
 * 503 `mail_plane_unavailable`, with Dovecot's reason (the port names the addresses and what
 * doveadm said). `details.saved` tells a client whether its change stands, so it can branch on
 * that rather than on the message.
 */
function mailPlaneUnavailable(error: unknown, saved: boolean): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  const message = saved
    ? `The change is saved, but Dovecot could not be told of it afterwards: a login it cached before the change may still succeed for up to ${AUTH_CACHE_TTL_SECONDS} s. ${reason}`
    : `Dovecot could not be told of this change, so nothing was changed: retry once Dovecot answers. ${reason}`;
  return new AppError('unavailable', 'mail_plane_unavailable', message, [], { saved });
}

/**
 * Runs a change that takes away or alters logins, with the cache flush as part of it: `change`
 * answers the addresses whose password, state or quota it changed. The flush runs inside the
 * transaction, so when Dovecot cannot be told the change is rolled back and the request fails:
 * a mailbox is never disabled in Mailwright yet still logging in from the cache. It runs again
 * after the commit, for a login that read the old row between the first flush and the commit;
 * when that one fails the change stands and the request still fails, saying so, because a
 * login cached in between may succeed until the cache's TTL runs out.
 */
export async function changeLogins(
  ctx: ServiceContext,
  change: (trx: Transaction<Database>) => Promise<readonly string[]>,
): Promise<void> {
  const logins = await ctx.store.db.transaction().execute(async (trx) => {
    const changed = await change(trx);
    await flushLogins(ctx, changed, false);
    return changed;
  });
  await flushLogins(ctx, logins, true);
}
