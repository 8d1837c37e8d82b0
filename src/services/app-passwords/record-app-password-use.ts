import { markAppPasswordUsed } from '../../store/app-passwords.js';
import type { ServiceContext } from '../context.js';

/**
 * A successful IMAP or SMTP login with an app password, as Dovecot reported it: its last use
 * is now. The public id must belong to the login's mailbox; a report of anything else changes
 * nothing. The mail plane, not a person, acts here, so no audit event is written.
 */
export async function recordAppPasswordUse(
  ctx: Pick<ServiceContext, 'store' | 'clock'>,
  login: string,
  publicId: string,
): Promise<boolean> {
  return markAppPasswordUsed(
    ctx.store.db,
    login.toLowerCase(),
    publicId,
    ctx.clock().toISOString(),
  );
}
