import { AppError } from '../../core/errors.js';
import { countAccounts } from '../../store/accounts.js';
import type { ServiceContext } from '../context.js';
import { createAccount } from './create-account.js';
import { createApiToken } from '../auth/create-api-token.js';

export const FIRST_ACCOUNT = 'admin';

/**
 * On an empty database, creates the first account and returns its token so a new user can call
 * the API right after `npm start`. Returns nothing once any account exists: the token is shown
 * only on that first start.
 */
export async function bootstrapFirstAccount(
  ctx: ServiceContext,
): Promise<{ account: string; token: string } | undefined> {
  if ((await countAccounts(ctx.store.db)) > 0) return undefined;
  try {
    await createAccount(ctx, { name: FIRST_ACCOUNT, actor: 'system:first-start' });
  } catch (error) {
    // Several processes started at once on an empty database: one of them shows the token.
    if (error instanceof AppError && error.code === 'account_exists') return undefined;
    throw error;
  }
  const { token } = await createApiToken(ctx, {
    account: FIRST_ACCOUNT,
    label: 'first start',
    actor: 'system:first-start',
  });
  return { account: FIRST_ACCOUNT, token };
}
