import type { CheckedRecord } from '../../../core/dns-record.js';
import { summarize } from '../../../dns/record-checker.js';
import { saveDnsCheck as saveDnsCheckRow } from '../../../store/domains.js';
import { appendEvent } from '../../../store/events.js';
import type { DomainRow } from '../../../store/schema.js';
import type { Actor, ServiceContext } from '../../context.js';

/**
 * Stores a live check's summary on the domain (every view then shows its readiness without a
 * lookup) and, when records fail and the failing set differs from the previous check's, the
 * `dns.check_failed` event with them, in the same transaction (so its webhooks with it). A
 * repeated check that finds the same failures says nothing new and records no event.
 */
export async function saveDnsCheck(
  ctx: ServiceContext,
  actor: Actor,
  domain: Pick<DomainRow, 'id' | 'account_id' | 'name' | 'dns_failing'>,
  checkedAt: string,
  checked: CheckedRecord[],
): Promise<void> {
  const { failing } = summarize(checked);
  const stored = JSON.stringify(failing);
  await ctx.store.db.transaction().execute(async (trx) => {
    await saveDnsCheckRow(trx, domain.id, { at: checkedAt, failing });
    if (failing.length === 0 || stored === domain.dns_failing) return;
    await appendEvent(trx, {
      accountId: domain.account_id,
      actor: actor.name,
      action: 'dns.check_failed',
      target: domain.name,
      details: {
        checkedAt,
        failing: failing.map(({ type, host, status }) => ({ type, host, status })),
      },
      now: checkedAt,
    });
  });
}
