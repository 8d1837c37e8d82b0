import type { Kysely } from 'kysely';
import { AppError } from '../../../core/errors.js';
import { MAX_BULK_FORWARDING_MAILBOXES } from '../../../core/mail-routing.js';
import { forwardTargets } from '../../../store/aliases.js';
import type { Database, MailboxRow } from '../../../store/schema.js';
import type { Actor, ServiceContext } from '../../context.js';
import { checkForwarding, type ForwardingInput } from '../../mailboxes/support/forwarding-check.js';
import type { Forwarding } from '../../mailboxes/support/mailbox-view.js';
import {
  requireOneSelection,
  selectMailboxes,
  type MailboxSelection,
} from './mailbox-selection.js';

/** The same forwarding (or, with null, none) for the listed mailboxes or every one of hostnames. */
export interface BulkForwardingInput {
  addresses?: string[];
  domains?: string[];
  forwarding: ForwardingInput;
}

/** What one mailbox's forwarding becomes, or why that mailbox is refused it. */
export type ForwardingPlan =
  | { ok: true; before: Forwarding | null; after: Forwarding | null; changed: boolean }
  | { ok: false; before: Forwarding | null; code: string; message: string };

/**
 * Refusals that belong to one mailbox rather than to the request: the target is the mailbox
 * itself, or its forward would close a loop. Any other rule broken (a bad or unknown target,
 * too many) is broken for every mailbox alike and refuses the whole request.
 */
const ROW_REFUSALS = ['target_is_self', 'routing_cycle'];

/**
 * One mailbox's forwarding under the single PATCH's rules (`checkForwarding`), read in `db`
 * (the job's transaction when it runs). A refusal of the request as a whole is thrown.
 */
export async function planForwarding(
  db: Kysely<Database>,
  actor: Actor,
  row: MailboxRow,
  input: ForwardingInput,
): Promise<ForwardingPlan> {
  const before: Forwarding | null =
    row.forward_keep_copy === null
      ? null
      : { to: await forwardTargets(db, row.id), keepCopy: row.forward_keep_copy === 1 };
  try {
    const after = (await checkForwarding(db, actor, row.address, input)) ?? null;
    return { ok: true, before, after, changed: JSON.stringify(before) !== JSON.stringify(after) };
  } catch (error) {
    const own =
      error instanceof AppError &&
      error.issues.length > 0 &&
      error.issues.every((i) => ROW_REFUSALS.includes(i.code));
    if (!own) throw error;
    return { ok: false, before, code: error.issues[0]!.code, message: error.message };
  }
}

/**
 * The mailboxes a request names and each one's plan, checked before anything is written: the
 * selection (`selectMailboxes`), then the forwarding for each; only refusals of one mailbox
 * (`ROW_REFUSALS`) are left to its row.
 */
export async function planBulkForwarding(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkForwardingInput,
  db = ctx.store.db,
): Promise<{ row: MailboxRow; plan: ForwardingPlan }[]> {
  const selection: MailboxSelection = {
    ...(input.addresses !== undefined ? { addresses: input.addresses } : {}),
    ...(input.domains !== undefined
      ? { hostnames: { field: 'domains', names: input.domains } }
      : {}),
  };
  requireOneSelection(selection);
  const rows = await selectMailboxes(ctx, actor, selection, MAX_BULK_FORWARDING_MAILBOXES, db);
  const plans = [];
  for (const row of rows) {
    plans.push({ row, plan: await planForwarding(db, actor, row, input.forwarding) });
  }
  return plans;
}
