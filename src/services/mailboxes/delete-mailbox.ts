import { appendEvent } from '../../store/events.js';
import { deleteMailbox as deleteMailboxRow } from '../../store/mailboxes.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { changeLogins } from '../support/login-change.js';
import { requireMailbox } from './get-mailbox.js';

export async function deleteMailbox(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
): Promise<void> {
  await changeLogins(ctx, async (trx) => {
    const mailbox = await requireMailbox(ctx, actor, address, trx);
    await deleteMailboxRow(trx, mailbox.id);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'mailbox.deleted',
      target: mailbox.address,
      now: nowIso(ctx),
    });
    return [mailbox.address];
  });
}
