import { listAppPasswords as listRows } from '../../store/app-passwords.js';
import type { Actor, ServiceContext } from '../context.js';
import { requireMailbox } from '../mailboxes/get-mailbox.js';
import { toAppPassword, type AppPassword } from './support/app-password-view.js';

/** The mailbox's app passwords, oldest first: labels and dates, never a secret. */
export async function listAppPasswords(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
): Promise<{ items: AppPassword[] }> {
  const mailbox = await requireMailbox(ctx, actor, address);
  return { items: (await listRows(ctx.store.db, mailbox.id)).map(toAppPassword) };
}
