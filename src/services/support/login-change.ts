import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { ServiceContext } from '../context.js';

/** Makes the mail plane forget these cached logins; nothing to do without a mail plane. */
async function flushLogins(ctx: ServiceContext, addresses: readonly string[]): Promise<void> {
  if (addresses.length > 0) await ctx.mailPlane?.flushAuth(addresses);
}

/**
 * Runs a change that takes away or alters logins, with the cache flush as part of it: `change`
 * answers the addresses whose password, state or quota it changed. The flush runs inside the
 * transaction, so when Dovecot cannot be told the change is rolled back and the request fails:
 * a mailbox is never disabled in Mailwright yet still logging in from the cache. It runs again
 * after the commit, for a login that read the old row between the first flush and the commit.
 */
export async function changeLogins(
  ctx: ServiceContext,
  change: (trx: Transaction<Database>) => Promise<readonly string[]>,
): Promise<void> {
  const logins = await ctx.store.db.transaction().execute(async (trx) => {
    const changed = await change(trx);
    await flushLogins(ctx, changed);
    return changed;
  });
  await flushLogins(ctx, logins);
}
