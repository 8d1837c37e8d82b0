import { IssueCollector, orThrow } from '../../core/errors.js';
import { domainOfAddress, withinDomains } from '../../core/token-scopes.js';
import { assertListSize, MAX_BULK_DELETE_MAILBOXES } from '../../core/limits.js';
import { findMailbox } from '../../store/mailboxes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import type { Job } from '../jobs/support/job-view.js';
import { queueDelete } from './support/queue-delete.js';

export function bulkDeleteMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: { addresses: string[] },
): Promise<Job> {
  assertListSize('addresses', input.addresses.length, MAX_BULK_DELETE_MAILBOXES, 'addresses');
  if (input.addresses.length === 0) {
    orThrow('addresses', {
      ok: false,
      code: 'required',
      message: 'List at least one address to delete.',
    });
  }
  return queueDelete(ctx, actor, 'bulk_delete_mailboxes', async (trx) => {
    const issues = new IssueCollector();
    const targets: string[] = [];
    for (const [i, typed] of input.addresses.entries()) {
      const address = typed.trim().toLowerCase();
      const reachable = withinDomains(actorDomains(actor), domainOfAddress(address));
      if (!reachable || !(await findMailbox(trx, actor.accountId, address))) {
        issues.add(`addresses.${i}`, 'mailbox_not_found', `No mailbox ${address} in this account.`);
      } else if (targets.includes(address)) {
        issues.add(`addresses.${i}`, 'duplicate', `${address} is listed twice.`);
      } else targets.push(address);
    }
    issues.throwIfAny();
    return { targets, params: {} };
  });
}
