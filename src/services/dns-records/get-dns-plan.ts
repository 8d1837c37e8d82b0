import type { CheckedRecord } from '../../core/dns-record.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { plannedRecords, unchecked } from './support/planned-records.js';
import { saveDnsCheck } from './support/save-dns-check.js';

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
  await saveDnsCheck(ctx, actor, domain, checkedAt, checked);
  return { records: checked, checkedAt };
}
