import type { RecordType } from '../../core/dns-record.js';

/** A name lowercase and absolute: `MX.Example.net` → `mx.example.net.`, `.` stays the root. */
export function absoluteName(name: string): string {
  return `${name.trim().toLowerCase().replace(/\.+$/, '')}.`;
}

/**
 * One comparable string per record, from the data we send or the server's presentation form:
 * TXT as the hex of its joined strings (so how it is split or escaped does not matter), other
 * types with numbers as numbers and names lowercase and absolute.
 */
export function canonicalRdata(type: RecordType, rdata: string): string {
  if (type === 'TXT') return txtBytes(rdata).toString('hex');
  return rdata
    .trim()
    .split(/\s+/)
    .map((field) => (/^\d+$/.test(field) ? String(Number(field)) : absoluteName(field)))
    .join(' ');
}

/** The bytes of TXT data `"…" "…"` (RFC 1035 §5.1 escapes); unquoted words are taken as is. */
function txtBytes(rdata: string): Buffer {
  const bytes: number[] = [];
  const text = Buffer.from(rdata, 'utf8');
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i]!;
    if (byte === 0x22) {
      quoted = !quoted;
    } else if (byte === 0x5c && i + 1 < text.length) {
      const digits = text.subarray(i + 1, i + 4).toString('latin1');
      if (/^\d{3}$/.test(digits)) {
        bytes.push(Number(digits) & 0xff);
        i += 3;
      } else {
        bytes.push(text[++i]!);
      }
    } else if (quoted || (byte !== 0x20 && byte !== 0x09)) {
      bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}
