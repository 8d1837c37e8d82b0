import { conflict, IssueCollector, orThrow } from '../../../core/errors.js';
import { assertListSize } from '../../../core/limits.js';
import { domainOfAddress, withinDomains } from '../../../core/token-scopes.js';
import { findMailbox } from '../../../store/mailboxes.js';
import type { MailboxRow } from '../../../store/schema.js';
import { actorDomains, type Actor, type ServiceContext } from '../../context.js';
import { requireDomain } from '../../domains/get-domain.js';

/**
 * Which mailboxes a bulk change of mailboxes is for: the listed `addresses`, or every mailbox
 * of the named hostnames (not of their sub-domains), read from the request field `field`
 * (`domain` holding one name, or `domains.<i>` of a list).
 */
export interface MailboxSelection {
  addresses?: string[];
  hostnames?: { field: 'domain' | 'domains'; names: string[] };
}

/** One of the two ways to name mailboxes, not both: a 422 on `addresses` otherwise. */
export function requireOneSelection(selection: MailboxSelection): void {
  const listed = selection.addresses !== undefined && selection.addresses.length > 0;
  const named = selection.hostnames !== undefined && selection.hostnames.names.length > 0;
  if (listed === named) {
    const field = selection.hostnames?.field ?? 'domain';
    orThrow('addresses', {
      ok: false,
      code: 'required',
      message:
        field === 'domain'
          ? 'List the mailboxes in "addresses", or name one hostname in "domain" (not both).'
          : 'List the mailboxes in "addresses", or name hostnames in "domains" (not both).',
    });
  }
}

/**
 * The mailboxes a request names, before anything is written: the listed addresses (an unknown
 * or duplicate one is a 422 naming it), or every mailbox of the hostnames in hostname then
 * address order (another account's hostname is a 404; none with a mailbox is a 409). At most
 * `max` of them.
 */
export async function selectMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  selection: MailboxSelection,
  max: number,
  db = ctx.store.db,
): Promise<MailboxRow[]> {
  requireOneSelection(selection);
  const issues = new IssueCollector();
  const { hostnames } = selection;
  if (hostnames && hostnames.names.length > 0) {
    const rows: MailboxRow[] = [];
    const seen: string[] = [];
    for (const [i, name] of hostnames.names.entries()) {
      const field = hostnames.field === 'domain' ? 'domain' : `domains.${i}`;
      const domain = await requireDomain(ctx, actor, name, field, db);
      if (seen.includes(domain.id)) {
        issues.add(field, 'duplicate', `${domain.name} is listed twice.`);
        continue;
      }
      seen.push(domain.id);
      rows.push(
        ...(await db
          .selectFrom('mailboxes')
          .selectAll()
          .where('account_id', '=', actor.accountId)
          .where('domain_id', '=', domain.id)
          .orderBy('address')
          .execute()),
      );
    }
    issues.throwIfAny();
    if (rows.length === 0) {
      const names = hostnames.names.map((n) => n.trim().toLowerCase()).join(', ');
      throw conflict('no_mailboxes', `${names} has no mailboxes yet.`);
    }
    assertListSize(hostnames.field, rows.length, max, 'mailboxes');
    return rows;
  }
  const addresses = selection.addresses!;
  assertListSize('addresses', addresses.length, max, 'addresses');
  const rows: MailboxRow[] = [];
  for (const [i, typed] of addresses.entries()) {
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
