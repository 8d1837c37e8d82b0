import type { CheckSummary } from '../../dns/record-checker.js';
import type { SigningKey } from '../../core/dkim-key.js';
import { listActiveDkimKeys } from '../../store/dkim-keys.js';
import type { ServiceContext } from '../context.js';

type KeyRow = Awaited<ReturnType<typeof listActiveDkimKeys>>[number];

/**
 * Whether the last live check, made after the key existed, found its record as planned. Mail
 * signed with a selector receivers cannot find fails DKIM, and with it DMARC.
 */
function seenLive(row: KeyRow): boolean {
  if (row.dnsCheckedAt === null || row.dnsCheckedAt < row.created_at) return false;
  const failing = JSON.parse(row.dnsFailing ?? '[]') as CheckSummary['failing'];
  const host = `${row.selector}._domainkey.${row.domain}`;
  return !failing.some((r) => r.host === host);
}

/**
 * The keys mail is signed with, unsealed for the signer: per hostname and algorithm, the newest
 * unretired key whose record a live check has seen published (docs/dns.md: rotate, publish,
 * check, and from the next sync the new selector signs). A hostname's first RSA key signs even
 * before any check, since there is no other; an Ed25519 key only adds a second signature, so it
 * waits for its check. Hostnames of every account: one signer serves them all.
 */
export async function signingKeys(ctx: ServiceContext): Promise<SigningKey[]> {
  const rows = await listActiveDkimKeys(ctx.store.db);
  const bySlot = new Map<string, KeyRow[]>();
  for (const row of rows) {
    const slot = `${row.domain} ${row.algorithm}`;
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), row]);
  }
  const keys: SigningKey[] = [];
  for (const newestFirst of bySlot.values()) {
    const oldest = newestFirst[newestFirst.length - 1]!;
    const chosen = newestFirst.find(seenLive) ?? (oldest.algorithm === 'rsa' ? oldest : undefined);
    if (!chosen) continue;
    keys.push({
      domain: chosen.domain,
      selector: chosen.selector,
      algorithm: chosen.algorithm,
      privateKeyPem: ctx.secrets.cipher.decrypt(chosen.sealed_private_key),
    });
  }
  return keys;
}
