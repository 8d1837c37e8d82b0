import { AppError } from '../core/errors.js';
import { hashToken } from '../core/secret-token.js';
import { findTokenOwner } from '../store/accounts.js';
import type { Actor, ServiceContext } from './context.js';

const unauthorized = () =>
  new AppError(
    'unauthorized',
    'unauthorized',
    'Send a valid API token as "Authorization: Bearer <token>"; create one with `mailwright token create --account NAME`.',
  );

/** Maps a bearer token to the acting account. Missing and wrong tokens are indistinguishable. */
export async function authenticate(
  ctx: ServiceContext,
  authorization: string | undefined,
): Promise<Actor> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) throw unauthorized();
  const owner = await findTokenOwner(ctx.store.db, hashToken(token));
  if (!owner) throw unauthorized();
  return { accountId: owner.accountId, name: `token:${owner.tokenId}` };
}
