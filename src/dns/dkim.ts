import type { CheckedRecord } from '../core/dns-record.js';
import { parseTags } from './tags.js';

/** DKIM key records live at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.2.1). */
export const isDkimHost = (host: string): boolean => host.includes('._domainkey.');

/**
 * The `p=` public key of a DKIM key record (RFC 6376 §3.6.1), whitespace removed since DNS
 * hosts and users split long keys; '' is a revoked key.
 */
export function dkimKey(record: string): { ok: true; key: string } | { ok: false; error: string } {
  const parsed = parseTags(record);
  if (!parsed.ok) return parsed;
  const { tags } = parsed;
  const version = tags.get('v');
  if (
    version !== undefined &&
    (version.toUpperCase() !== 'DKIM1' || tags.keys().next().value !== 'v')
  ) {
    return { ok: false, error: 'v= must be the first tag and read DKIM1' };
  }
  const key = tags.get('p');
  if (key === undefined) return { ok: false, error: 'it has no p= tag holding the key' };
  return { ok: true, key: key.replace(/\s+/g, '') };
}

/**
 * Compares the TXT records at a selector with `expected`: ok when the one record there holds
 * our `p=` key, whatever its other tags or their order.
 */
export function checkDkim(
  host: string,
  expected: string,
  answers: string[],
): Pick<CheckedRecord, 'status' | 'hint'> {
  const ours = dkimKey(expected);
  if (!ours.ok) throw new Error(`The planned DKIM record "${expected}" is invalid: ${ours.error}`);
  const keys = answers.map(dkimKey);
  const matching = keys.some((k) => k.ok && k.key === ours.key);
  const replace = `replace the record's value with "${expected}"`;
  if (answers.length > 1) {
    // RFC 6376 §3.6.2.2 lets a verifier use any one of several key records.
    return {
      status: 'mismatch',
      hint: matching
        ? `${host} has ${answers.length} TXT records, and receivers may check signatures against any of them: delete all but "${expected}".`
        : `${host} has ${answers.length} TXT records and none holds Mailwright's DKIM key: delete them and publish one with the value "${expected}".`,
    };
  }
  const [published] = keys;
  if (!published) {
    return { status: 'missing', hint: `Add a TXT record at ${host} with the value "${expected}".` };
  }
  if (matching) return { status: 'ok', hint: '' };
  if (!published.ok) {
    return {
      status: 'mismatch',
      hint: `The TXT record at ${host} is not a valid DKIM key record (${published.error}): ${replace}.`,
    };
  }
  return {
    status: 'mismatch',
    hint:
      published.key === ''
        ? `The DKIM key at ${host} is revoked (its p= is empty), so mail Mailwright signs fails DKIM: ${replace}.`
        : `The DKIM key published at ${host} is not Mailwright's, so mail Mailwright signs fails DKIM: ${replace}.`,
  };
}
