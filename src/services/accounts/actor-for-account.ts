import { AppError } from '../../core/errors.js';
import { findAccountByName } from '../../store/accounts.js';
import type { Actor, ServiceContext } from '../context.js';

/** The operator's view of an account (CLI): acting as it, by name. */
export async function actorForAccount(
  ctx: ServiceContext,
  typed: string,
  actorName: string,
): Promise<Actor> {
  const name = typed.trim().toLowerCase();
  const account = name === '' ? undefined : await findAccountByName(ctx.store.db, name);
  if (!account) {
    throw new AppError(
      'not_found',
      'account_not_found',
      `No account ${name || '""'}: create it with \`mailwright account create ${name || 'NAME'}\``,
    );
  }
  return { accountId: account.id, name: actorName };
}
