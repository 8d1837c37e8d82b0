import { stringify } from 'csv-stringify/sync';
import type { PlannedRecord } from './dns-record.js';

/** The header of the every-record CSV, the columns DNS hosts' bulk record importers map. */
export const DNS_RECORDS_CSV_COLUMNS = ['domain', 'type', 'host', 'value', 'ttl'] as const;

/**
 * Every planned record of many domains as one CSV (RFC 4180, CRLF), a row per record: the
 * domain it belongs to, and the record as the API shows it (`host` fully qualified without the
 * trailing dot, `value` in presentation form, TXT unquoted and whole). No cell needs defusing
 * against spreadsheet formulas: hosts start with a letter, digit or `_`, and every planned value
 * with a letter or digit (`10 mx…`, `v=spf1…`, `0 1 993 …`), whatever input passes its checks
 * (test/core/dns-records-csv.property.test.ts).
 */
export function dnsRecordsCsv(domains: { name: string; records: PlannedRecord[] }[]): string {
  const rows = domains.flatMap((d) =>
    d.records.map((r) => [d.name, r.type, r.host, r.value, String(r.ttl)]),
  );
  return stringify([[...DNS_RECORDS_CSV_COLUMNS], ...rows], {
    record_delimiter: 'windows',
    quote_record_delimiter: true,
  });
}
