import { AppError } from '../../core/errors.js';
import { hashToken } from '../../core/secret-token.js';
import { findTokenOwner, touchApiToken } from '../../store/accounts.js';
import type { Actor, ServiceContext } from '../context.js';

/** The audit name: the label people gave the token, and its id, which is unique. */
export const tokenActorName = (id: string, label: string): string =>
  label === '' ? `token:${id}` : `token:${label} (${id})`;

/** Minute precision tells a token in use from a forgotten one without a write per request. */
const LAST_USED_PRECISION_MS = 60 * 1000;

const unauthorized = () =>
  new AppError(
    'unauthorized',
    'unauthorized',
    'Send a valid API token as "Authorization: Bearer <token>"; create one with `mailwright token create --account NAME`.',
  );

/**
 * RFC 6750 §2.1 exactly: the scheme (case-insensitive, RFC 9110 §11.1), one space, a token68.
 * Anything looser is refused rather than guessed at.
 */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/** Maps a bearer token to the acting account. Missing and wrong tokens are indistinguishable. */
export async function authenticate(
  ctx: ServiceContext,
  authorization: string | undefined,
): Promise<Actor> {
  const token = BEARER.exec(authorization ?? '')?.[1];
  if (!token) throw unauthorized();
  const owner = await findTokenOwner(ctx.store.db, hashToken(token));
  if (!owner) throw unauthorized();
  const now = ctx.clock();
  if (
    owner.lastUsedAt === null ||
    now.getTime() - Date.parse(owner.lastUsedAt) >= LAST_USED_PRECISION_MS
  ) {
    await touchApiToken(ctx.store.db, owner.tokenId, now.toISOString());
  }
  return {
    accountId: owner.accountId,
    name: tokenActorName(owner.tokenId, owner.label),
    access: {
      tokenId: owner.tokenId,
      scopes: owner.scopes,
      domains: owner.domains,
    },
  };
}
