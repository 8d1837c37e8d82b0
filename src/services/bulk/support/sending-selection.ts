import { IssueCollector } from '../../../core/errors.js';
import {
  checkSendingInput,
  MAX_BULK_SENDING_MAILBOXES,
  type SendingInput,
} from '../../../core/sending.js';
import type { MailboxRow } from '../../../store/schema.js';
import type { Actor, ServiceContext } from '../../context.js';
import {
  requireOneSelection,
  selectMailboxes,
  type MailboxSelection,
} from './mailbox-selection.js';

/** Which mailboxes a bulk policy change is for: listed, or every one of a hostname. */
export interface BulkSendingInput {
  addresses?: string[];
  domain?: string;
  /** What changes on every one of them; what is left out keeps each mailbox's value. */
  sending: SendingInput;
}

/**
 * The mailboxes a request names, checked before anything is written: the policy change on its
 * own (every bad field, under `sending.…`), then the mailboxes (`selectMailboxes`).
 */
export async function selectSendingMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkSendingInput,
  db = ctx.store.db,
): Promise<MailboxRow[]> {
  const selection: MailboxSelection = {
    ...(input.addresses !== undefined ? { addresses: input.addresses } : {}),
    ...(input.domain !== undefined
      ? { hostnames: { field: 'domain', names: [input.domain] } }
      : {}),
  };
  requireOneSelection(selection);
  const issues = new IssueCollector();
  if (Object.keys(input.sending).length === 0) {
    issues.add('sending', 'required', 'Give dailyLimit, hourlyLimit or warmup to change.');
  }
  checkSendingInput(input.sending, issues);
  issues.throwIfAny();
  return selectMailboxes(ctx, actor, selection, MAX_BULK_SENDING_MAILBOXES, db);
}
