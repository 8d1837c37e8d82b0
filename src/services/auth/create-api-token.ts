import { notFound, orThrow } from '../../core/errors.js';
import { generateApiToken, hashToken } from '../../core/secret-token.js';
import { checkTokenLabel } from '../../core/token-label.js';
import { findAccountByName, insertApiToken } from '../../store/accounts.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';

export interface CreatedApiToken {
  id: string;
  label: string;
  /** Shown this once. */
  token: string;
  createdAt: string;
}

/** Operator path (CLI, first start): a token for an account named by the operator. */
export async function createApiToken(
  ctx: ServiceContext,
  input: { account: string; label?: string; actor: string },
): Promise<{ id: string; token: string }> {
  const account = await findAccountByName(ctx.store.db, input.account.trim().toLowerCase());
  if (!account) throw notFound('account', input.account);
  const label = input.label === undefined ? '' : orThrow('label', checkTokenLabel(input.label));
  const { id, token } = await issueApiToken(
    ctx,
    { accountId: account.id, name: input.actor },
    label,
  );
  return { id, token };
}

/** Console path: a token for the signed-in user's own account, labelled so it can be revoked. */
export function createAccountApiToken(
  ctx: ServiceContext,
  actor: Actor,
  input: { label: string },
): Promise<CreatedApiToken> {
  return issueApiToken(ctx, actor, orThrow('label', checkTokenLabel(input.label)));
}

/** Returns the token once; only its SHA-256 is kept, so a lost token is replaced, not recovered. */
async function issueApiToken(
  ctx: ServiceContext,
  actor: Actor,
  label: string,
): Promise<CreatedApiToken> {
  const token = generateApiToken();
  const createdAt = nowIso(ctx);
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    const tokenId = await insertApiToken(trx, {
      accountId: actor.accountId,
      tokenHash: hashToken(token),
      label,
      now: createdAt,
    });
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'token.created',
      target: tokenId,
      now: createdAt,
    });
    return tokenId;
  });
  return { id, label, token, createdAt };
}
