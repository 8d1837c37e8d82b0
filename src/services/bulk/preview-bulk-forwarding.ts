import type { Actor, ServiceContext } from '../context.js';
import type { Forwarding } from '../mailboxes/support/mailbox-view.js';
import { planBulkForwarding, type BulkForwardingInput } from './support/forwarding-plan.js';

export interface BulkForwardingPreviewRow {
  address: string;
  before: Forwarding | null;
  /** Null: it keeps its mail (or, when refused, stays as before). */
  after: Forwarding | null;
  changed: boolean;
  refused: { code: string; message: string } | null;
}

/** What `bulkSetForwarding` would do to each selected mailbox; nothing is written. */
export async function previewBulkForwarding(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkForwardingInput,
): Promise<{ preview: { mailboxes: BulkForwardingPreviewRow[] } }> {
  const plans = await planBulkForwarding(ctx, actor, input);
  return {
    preview: {
      mailboxes: plans.map(({ row, plan }) =>
        plan.ok
          ? {
              address: row.address,
              before: plan.before,
              after: plan.after,
              changed: plan.changed,
              refused: null,
            }
          : {
              address: row.address,
              before: plan.before,
              after: plan.before,
              changed: false,
              refused: { code: plan.code, message: plan.message },
            },
      ),
    },
  };
}
