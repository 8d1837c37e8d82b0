import { notFound } from '../../core/errors.js';
import { findMailbox } from '../../store/mailboxes.js';
import type { MailboxRow } from '../../store/schema.js';
import { domainOfAddress, withinDomains } from '../../core/token-scopes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { toMailbox, type Mailbox } from './support/mailbox-view.js';

/** Addresses are stored lowercase; another account's mailbox is reported as missing. */
export async function requireMailbox(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
  db = ctx.store.db,
): Promise<MailboxRow> {
  const normalised = address.trim().toLowerCase();
  const row = withinDomains(actorDomains(actor), domainOfAddress(normalised))
    ? await findMailbox(db, actor.accountId, normalised)
    : undefined;
  if (!row) throw notFound('mailbox', normalised);
  return row;
}

/** One mailbox with what it stores; `usedMb` is null where no mail plane answers. */
export async function getMailbox(
  ctx: ServiceContext,
  actor: Actor,
  address: string,
): Promise<Mailbox & { usedMb: number | null }> {
  const mailbox = await toMailbox(ctx, await requireMailbox(ctx, actor, address));
  return { ...mailbox, usedMb: (await ctx.mailboxUsage?.(mailbox.address)) ?? null };
}
