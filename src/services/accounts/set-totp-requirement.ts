import { notFound } from '../../core/errors.js';
import { findAccountByName, setRequireTotp } from '../../store/accounts.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type ServiceContext } from '../context.js';

/**
 * Operator-only (CLI). Sessions read the requirement at every request, so an operator without
 * TOTP is limited to enrolling at their next click, not at their next sign-in.
 */
export async function setTotpRequirement(
  ctx: ServiceContext,
  input: { account: string; required: boolean; actor: string },
): Promise<void> {
  const account = await findAccountByName(ctx.store.db, input.account.trim().toLowerCase());
  if (!account) throw notFound('account', input.account);
  await ctx.store.db.transaction().execute(async (trx) => {
    await setRequireTotp(trx, account.id, input.required);
    await appendEvent(trx, {
      accountId: account.id,
      actor: input.actor,
      action: input.required ? 'account.totp_required' : 'account.totp_optional',
      target: account.name,
      now: nowIso(ctx),
    });
  });
}
