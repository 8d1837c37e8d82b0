import type { CheckedRecord } from '../../core/dns-record.js';
import { saveDnsCheck } from '../../store/domains.js';
import { summarize } from '../../dns/record-checker.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { plannedRecords, unchecked } from './support/planned-records.js';

export interface DnsPlan {
  records: CheckedRecord[];
  /** When the live lookups ran; null when they did not. */
  checkedAt: string | null;
}

/** The records a hostname of the actor's account needs published, optionally checked live. */
export async function getDnsPlan(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  opts: { check?: boolean } = {},
): Promise<DnsPlan> {
  const domain = await requireDomain(ctx, actor, name);
  const records = await plannedRecords(ctx, domain);
  if (!opts.check) return { records: records.map(unchecked), checkedAt: null };
  const checkedAt = nowIso(ctx);
  const checked = await ctx.recordChecker.check(records);
  // Kept so every view of the domain shows its readiness without a lookup per read.
  await saveDnsCheck(ctx.store.db, domain.id, {
    at: checkedAt,
    failing: summarize(checked).failing,
  });
  return { records: checked, checkedAt };
}
