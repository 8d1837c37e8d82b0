import { AppError, conflict } from '../../core/errors.js';
import type { CheckedRecord } from '../../core/dns-record.js';
import { listDkimKeys, retireDkimKey } from '../../store/dkim-keys.js';
import { appendEvent } from '../../store/events.js';
import { lockAccount } from '../../store/limits.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { plannedRecords, unchecked } from './support/planned-records.js';

/**
 * Stops publishing a selector, once no mail signed with it can still be in transit (a few days
 * after the rotation). Retiring an already retired selector changes nothing.
 */
export async function retireDkim(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  input: { selector: string },
): Promise<{ selector: string; records: CheckedRecord[] }> {
  const domain = await requireDomain(ctx, actor, name);
  const selector = input.selector.trim().toLowerCase();
  await ctx.store.db.transaction().execute(async (trx) => {
    // Two retirements at once could otherwise leave no RSA selector at all.
    await lockAccount(trx, actor.accountId);
    const keys = await listDkimKeys(trx, domain.id);
    const key = keys.find((k) => k.selector === selector);
    if (!key) {
      throw new AppError(
        'not_found',
        'dkim_selector_not_found',
        `${domain.name} has no DKIM selector "${selector}"; its DNS records list the selectors it publishes.`,
      );
    }
    if (key.retired_at !== null) return;
    // Many receivers verify only RSA, so an Ed25519 selector alone would leave mail unsigned
    // for them.
    const otherRsa = keys.filter(
      (k) => k.algorithm === 'rsa' && k.retired_at === null && k.id !== key.id,
    );
    if (key.algorithm === 'rsa' && otherRsa.length === 0) {
      throw conflict(
        'last_dkim_key',
        `${selector} is the only RSA selector ${domain.name} still publishes; rotate first, publish the new record, then retire ${selector}.`,
      );
    }
    const now = nowIso(ctx);
    await retireDkimKey(trx, key.id, now);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'dkim.retired',
      target: domain.name,
      details: { selector },
      now,
    });
  });
  return { selector, records: (await plannedRecords(ctx, domain)).map(unchecked) };
}
