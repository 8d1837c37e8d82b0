import { ACCOUNT_NAME } from '../../core/account-name.js';
import { conflict, ValidationError } from '../../core/errors.js';
import { findAccountByName, insertAccount, type AccountIdentity } from '../../store/accounts.js';
import { appendEvent } from '../../store/events.js';
import { isUniqueViolation } from '../../store/errors.js';
import { nowIso, type ServiceContext } from '../context.js';

/** Operator-only (CLI): a tenant that owns domains, mailboxes, tokens and events. */
export async function createAccount(
  ctx: ServiceContext,
  input: { name: string; actor: string },
): Promise<AccountIdentity> {
  const name = input.name.trim().toLowerCase();
  if (!ACCOUNT_NAME.test(name)) {
    throw new ValidationError(
      'name',
      'invalid_account_name',
      'Use 1–63 lowercase letters, digits and inner hyphens for an account name, e.g. acme or acme-sales.',
    );
  }
  const exists = conflict('account_exists', `An account named ${name} already exists.`);
  if (await findAccountByName(ctx.store.db, name)) throw exists;
  try {
    return await ctx.store.db.transaction().execute(async (trx) => {
      const now = nowIso(ctx);
      const account = await insertAccount(trx, name, now);
      await appendEvent(trx, {
        accountId: account.id,
        actor: input.actor,
        action: 'account.created',
        target: name,
        now,
      });
      return account;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw exists;
    throw error;
  }
}
