import { conflict, IssueCollector, orThrow } from '../../../core/errors.js';
import { assertListSize } from '../../../core/limits.js';
import {
  checkSendingInput,
  MAX_BULK_SENDING_MAILBOXES,
  type SendingInput,
} from '../../../core/sending.js';
import { domainOfAddress, withinDomains } from '../../../core/token-scopes.js';
import { findMailbox } from '../../../store/mailboxes.js';
import type { MailboxRow } from '../../../store/schema.js';
import { actorDomains, type Actor, type ServiceContext } from '../../context.js';
import { requireDomain } from '../../domains/get-domain.js';

/** Which mailboxes a bulk policy change is for: listed, or every one of a hostname. */
export interface BulkSendingInput {
  addresses?: string[];
  domain?: string;
  /** What changes on every one of them; what is left out keeps each mailbox's value. */
  sending: SendingInput;
}

/**
 * The mailboxes a request names, checked before anything is written: the policy change on its
 * own (every bad field, under `sending.…`), then either the listed addresses (an unknown or
 * duplicate one is a 422 naming it) or every mailbox of one hostname, in address order.
 */
export async function selectSendingMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: BulkSendingInput,
  db = ctx.store.db,
): Promise<MailboxRow[]> {
  const listed = input.addresses !== undefined && input.addresses.length > 0;
  if (listed === (input.domain !== undefined)) {
    orThrow('addresses', {
      ok: false,
      code: 'required',
      message: 'List the mailboxes in "addresses", or name one hostname in "domain" (not both).',
    });
  }
  const issues = new IssueCollector();
  if (Object.keys(input.sending).length === 0) {
    issues.add('sending', 'required', 'Give dailyLimit, hourlyLimit or warmup to change.');
  }
  checkSendingInput(input.sending, issues);
  issues.throwIfAny();
  if (!listed) {
    const domain = await requireDomain(ctx, actor, input.domain!, 'domain', db);
    const rows = await db
      .selectFrom('mailboxes')
      .selectAll()
      .where('account_id', '=', actor.accountId)
      .where('domain_id', '=', domain.id)
      .orderBy('address')
      .execute();
    if (rows.length === 0) throw conflict('no_mailboxes', `${domain.name} has no mailboxes yet.`);
    assertListSize('domain', rows.length, MAX_BULK_SENDING_MAILBOXES, 'mailboxes');
    return rows;
  }
  assertListSize('addresses', input.addresses!.length, MAX_BULK_SENDING_MAILBOXES, 'addresses');
  const rows: MailboxRow[] = [];
  for (const [i, typed] of input.addresses!.entries()) {
    const address = typed.trim().toLowerCase();
    const reachable = withinDomains(actorDomains(actor), domainOfAddress(address));
    const row = reachable ? await findMailbox(db, actor.accountId, address) : undefined;
    if (!row) {
      issues.add(`addresses.${i}`, 'mailbox_not_found', `No mailbox ${address} in this account.`);
    } else if (rows.some((r) => r.id === row.id)) {
      issues.add(`addresses.${i}`, 'duplicate', `${address} is listed twice.`);
    } else rows.push(row);
  }
  issues.throwIfAny();
  return rows;
}
