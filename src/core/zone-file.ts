import { DEFAULT_DNS_TTL } from './dns-plan.js';
import type { PlannedRecord } from './dns-record.js';

// RFC 1035 §3.3.14: a TXT record is a sequence of strings of at most 255 bytes each.
const TXT_STRING_BYTES = 255;

/**
 * A BIND zone fragment to paste into a DNS host's import, or into a zone file: absolute names
 * (trailing dot, so it works under any $ORIGIN), an explicit TTL and class on every line, and
 * each record preceded by a comment saying why it is there.
 */
export function zoneFragment(records: PlannedRecord[], title: string): string {
  const lines = [`; ${title}`, `$TTL ${records[0]?.ttl ?? DEFAULT_DNS_TTL}`];
  for (const r of records) {
    const data = r.type === 'TXT' ? txtStrings(r.value) : r.value;
    lines.push('', `; ${r.purpose}`, `${r.host}. ${r.ttl} IN ${r.type} ${data}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `"…" "…"`: quoted strings of at most 255 bytes, quotes and backslashes escaped. */
export function txtStrings(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const strings: string[] = [];
  for (let start = 0; start < bytes.length || strings.length === 0; start += TXT_STRING_BYTES) {
    strings.push(`"${escape(bytes.subarray(start, start + TXT_STRING_BYTES))}"`);
  }
  return strings.join(' ');
}

/** Printable ASCII as is, `"` and `\` backslashed, any other byte as `\DDD` (RFC 1035 §5.1). */
function escape(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${String(byte).padStart(3, '0')}`;
  }
  return out;
}
