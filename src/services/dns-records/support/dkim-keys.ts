import { randomUUID } from 'node:crypto';
import {
  generateDkimKeyPair,
  nextDkimSelector,
  type DkimAlgorithm,
  type DkimKeyPair,
} from '../../../core/dkim-key.js';
import { conflict } from '../../../core/errors.js';
import { insertDkimKey, listDkimKeys } from '../../../store/dkim-keys.js';
import { isUniqueViolation } from '../../../store/errors.js';
import type { DkimKeyRow, NewDkimKeyRow } from '../../../store/schema.js';
import { nowIso, type ServiceContext } from '../../context.js';

/**
 * Names a generated pair after the selectors the hostname already has and seals its private key
 * under the server key, ready to insert. Generating takes ~100 ms (RSA), so callers do it before
 * they take a lock and name the pair once they hold it.
 */
export function sealDkimKey(
  ctx: ServiceContext,
  domain: { id: string; name: string },
  algorithm: DkimAlgorithm,
  pair: DkimKeyPair,
  takenSelectors: string[],
): NewDkimKeyRow {
  const selector = nextDkimSelector(algorithm, ctx.clock(), takenSelectors);
  if (!selector) {
    throw conflict(
      'dkim_selectors_exhausted',
      `${domain.name} has used every ${algorithm} DKIM selector name of this month; rotate again next month.`,
    );
  }
  return {
    id: randomUUID(),
    domain_id: domain.id,
    selector,
    algorithm,
    sealed_private_key: ctx.secrets.cipher.encrypt(pair.privateKeyPem),
    public_key: pair.publicKeyBase64,
    created_at: nowIso(ctx),
    retired_at: null,
  };
}

/**
 * The hostname's keys, oldest first, creating its first one if it has none. Runs right after a
 * hostname is added and whenever its records are asked for, so hostnames added before DKIM
 * existed, or whose first key was interrupted, get one then.
 */
export async function ensureDkimKeys(
  ctx: ServiceContext,
  domain: { id: string; name: string },
): Promise<DkimKeyRow[]> {
  const keys = await listDkimKeys(ctx.store.db, domain.id);
  if (keys.length > 0) return keys;
  const pair = await generateDkimKeyPair('rsa');
  try {
    await insertDkimKey(ctx.store.db, sealDkimKey(ctx, domain, 'rsa', pair, []));
  } catch (error) {
    // A concurrent request created it first; its key is as good as ours.
    if (!isUniqueViolation(error)) throw error;
  }
  return listDkimKeys(ctx.store.db, domain.id);
}
