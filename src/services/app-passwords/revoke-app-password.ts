import { notFound } from '../../core/errors.js';
import { deleteAppPassword } from '../../store/app-passwords.js';
import { appendEvent } from '../../store/events.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireMailbox } from '../mailboxes/get-mailbox.js';
import { changeLogins } from '../support/login-change.js';

/**
 * Deletes one app password; the mailbox's other passwords keep working. Dovecot's cached login
 * for the mailbox is flushed inside the change, so the revoked password is refused from its
 * next login on (src/services/support/login-change.ts).
 */
export async function revokeAppPassword(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
  id: string,
): Promise<void> {
  const mailbox = await requireMailbox(ctx, actor, address);
  await changeLogins(ctx, async (trx) => {
    const label = await deleteAppPassword(trx, mailbox.id, id);
    if (label === undefined) throw notFound('app_password', id);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'mailbox.app_password_revoked',
      target: mailbox.address,
      details: { id, label },
      now: nowIso(ctx),
    });
    return [mailbox.address];
  });
}
