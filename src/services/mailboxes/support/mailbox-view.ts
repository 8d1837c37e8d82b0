import { forwardTargetsOf } from '../../../store/aliases.js';
import type { MailboxListing, MailboxSummary } from '../../../store/mailboxes.js';
import type { ServiceContext } from '../../context.js';
import { sendingViews, type SendingView } from './sending-view.js';

/** Where a mailbox's mail also (keepCopy) or only goes; null: it keeps its mail. */
export interface Forwarding {
  to: string[];
  keepCopy: boolean;
}

/** The API's Mailbox representation; the password hash never leaves the store layer. */
export interface Mailbox {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  name: string;
  quotaMb: number;
  active: boolean;
  createdAt: string;
  sending: SendingView;
  forwarding: Forwarding | null;
}

/** One mailbox as the API shows it, from its row, its sending view and its forwarding targets. */
export function mailboxView(
  row: Omit<MailboxListing, 'sent_today' | 'sent_this_hour' | 'forward_to'>,
  sending: SendingView,
  forwardTo: string[] | undefined,
): Mailbox {
  return {
    id: row.id,
    address: row.address,
    localPart: row.local_part,
    domain: row.address.slice(row.address.lastIndexOf('@') + 1),
    name: row.name,
    quotaMb: row.quota_mb,
    active: row.active === 1,
    createdAt: row.created_at,
    sending,
    forwarding:
      row.forward_keep_copy === null
        ? null
        : { to: forwardTo ?? [], keepCopy: row.forward_keep_copy === 1 },
  };
}

/** Mailboxes as the API shows them, their sending counters and forwards read in one query each. */
export async function toMailboxes(
  ctx: ServiceContext,
  rows: MailboxSummary[],
  opts: { justCreated?: boolean } = {},
): Promise<Mailbox[]> {
  const sending = await sendingViews(ctx.store.db, rows, ctx.clock(), {
    nothingSent: opts.justCreated ?? false,
  });
  const forwards = await forwardTargetsOf(
    ctx.store.db,
    rows.filter((row) => row.forward_keep_copy !== null).map((row) => row.id),
  );
  return rows.map((row) => mailboxView(row, sending.get(row.id)!, forwards.get(row.id)));
}

export async function toMailbox(
  ctx: ServiceContext,
  row: MailboxSummary,
  opts: { justCreated?: boolean } = {},
): Promise<Mailbox> {
  return (await toMailboxes(ctx, [row], opts))[0]!;
}
