import { generateDkimKeyPair, type DkimAlgorithm } from '../../core/dkim-key.js';
import type { CheckedRecord } from '../../core/dns-record.js';
import { insertDkimKey, listDkimKeys } from '../../store/dkim-keys.js';
import { appendEvent } from '../../store/events.js';
import { lockAccount } from '../../store/limits.js';
import type { Actor, ServiceContext } from '../context.js';
import { sealDkimKey } from './support/dkim-keys.js';
import { requireDomain } from '../domains/get-domain.js';
import { plannedRecords, unchecked } from './support/planned-records.js';

export interface DkimRotation {
  selector: string;
  algorithm: DkimAlgorithm;
  /** The hostname's records with the new selector; the previous ones stay until retired. */
  records: CheckedRecord[];
}

/**
 * Adds the next DKIM selector. The previous selectors stay published: mail signed with them may
 * still be in transit or queued, and verifiers fetch the key when the mail arrives. An Ed25519
 * selector is added the same way, as a second signature beside RSA.
 */
export async function rotateDkim(
  ctx: ServiceContext,
  actor: Actor,
  name: string,
  input: { algorithm?: DkimAlgorithm } = {},
): Promise<DkimRotation> {
  const algorithm = input.algorithm ?? 'rsa';
  const domain = await requireDomain(ctx, actor, name);
  const pair = await generateDkimKeyPair(algorithm);
  const selector = await ctx.store.db.transaction().execute(async (trx) => {
    // Two rotations of one hostname at once would otherwise pick the same selector.
    await lockAccount(trx, actor.accountId);
    const taken = (await listDkimKeys(trx, domain.id)).map((k) => k.selector);
    const key = sealDkimKey(ctx, domain, algorithm, pair, taken);
    await insertDkimKey(trx, key);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'dkim.rotated',
      target: domain.name,
      details: { selector: key.selector, algorithm },
      now: key.created_at,
    });
    return key.selector;
  });
  return {
    selector,
    algorithm,
    records: (await plannedRecords(ctx, domain)).map(unchecked),
  };
}
