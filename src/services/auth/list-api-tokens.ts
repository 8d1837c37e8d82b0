import { listApiTokens as listRows, type ApiTokenListing } from '../../store/accounts.js';
import type { Actor, ServiceContext } from '../context.js';

/** The account's tokens for the tokens page: labels and dates, never a secret or its hash. */
export async function listApiTokens(
  ctx: ServiceContext,
  actor: Actor,
): Promise<{ items: ApiTokenListing[] }> {
  return { items: await listRows(ctx.store.db, actor.accountId) };
}
