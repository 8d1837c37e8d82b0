import { parseTagValueRecord } from 'mailauth/lib/tools.js';

export type Tags = { ok: true; tags: Map<string, string> } | { ok: false; error: string };

/**
 * A `tag=value; …` record (DKIM keys, DMARC) through mailauth's parser, with a repeated tag as
 * an error since both RFCs make such a record invalid. Tag names are lowercase, in record order.
 */
export function parseTags(record: string): Tags {
  const parsed = parseTagValueRecord(record, { allowDuplicateKeys: false });
  if (parsed.errors.length > 0) return { ok: false, error: parsed.errors.join('; ') };
  return { ok: true, tags: new Map(Object.entries(parsed.tags).map(([k, v]) => [k, String(v)])) };
}
