import type { QuotaCrossing } from '../../core/quota-watch.js';
import { setQuotaNearlyFull } from '../../store/mailboxes.js';
import type { ServiceContext } from '../context.js';

/**
 * Dovecot's word that a mailbox's storage in use crossed the watch mark (core/quota-watch.ts):
 * from `over` on Postfix asks quota-status about it at RCPT, from `under` on it does not. The
 * mail plane, not a person, acts here, so no audit event is written; an address that is no
 * mailbox (deleted since) changes nothing.
 */
export async function recordQuotaCrossing(
  ctx: Pick<ServiceContext, 'store'>,
  address: string,
  crossing: QuotaCrossing,
): Promise<boolean> {
  return setQuotaNearlyFull(ctx.store.db, address.toLowerCase(), crossing === 'over');
}
