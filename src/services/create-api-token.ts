import { notFound } from '../core/errors.js';
import { generateApiToken, hashToken } from '../core/secret-token.js';
import { findAccountByName, insertApiToken } from '../store/accounts.js';
import { appendEvent } from '../store/events.js';
import { nowIso, type ServiceContext } from './context.js';

/** Returns the token once; only its SHA-256 is kept, so a lost token is replaced, not recovered. */
export async function createApiToken(
  ctx: ServiceContext,
  input: { account: string; label?: string; actor: string },
): Promise<{ id: string; token: string }> {
  const account = await findAccountByName(ctx.store.db, input.account.trim().toLowerCase());
  if (!account) throw notFound('account', input.account);
  const token = generateApiToken();
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    const now = nowIso(ctx);
    const tokenId = await insertApiToken(trx, {
      accountId: account.id,
      tokenHash: hashToken(token),
      label: input.label ?? '',
      now,
    });
    await appendEvent(trx, {
      accountId: account.id,
      actor: input.actor,
      action: 'token.created',
      target: tokenId,
      now,
    });
    return tokenId;
  });
  return { id, token };
}
