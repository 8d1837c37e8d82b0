import { IssueCollector } from '../../core/errors.js';
import { mergeSendingPolicy, utcDay, type SendingPolicy } from '../../core/sending.js';
import type { Actor, ServiceContext } from '../context.js';
import { toSendingPolicy } from '../mailboxes/support/sending-view.js';
import { selectSendingMailboxes, type BulkSendingInput } from './support/sending-selection.js';

export interface BulkSendingPreviewRow {
  address: string;
  before: SendingPolicy;
  after: SendingPolicy;
  changed: boolean;
}

/** What `bulkSetSending` would do to each selected mailbox; nothing is written. */
export async function previewBulkSending(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkSendingInput,
): Promise<{ preview: { mailboxes: BulkSendingPreviewRow[] } }> {
  const rows = await selectSendingMailboxes(ctx, actor, input);
  const today = utcDay(ctx.clock());
  return {
    preview: {
      mailboxes: rows.map((row) => {
        const before = toSendingPolicy(row);
        // Checked already by the selection: no issue can be collected here.
        const after = mergeSendingPolicy(before, input.sending, today, new IssueCollector());
        return {
          address: row.address,
          before,
          after,
          changed: JSON.stringify(before) !== JSON.stringify(after),
        };
      }),
    },
  };
}
