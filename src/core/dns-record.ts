/**
 * The shape shared by DNS planning (what a domain needs published), live checking (what the
 * resolvers answer) and publishing (what a DNS provider is told to hold).
 */
export const RECORD_TYPES = ['TXT', 'MX', 'SRV', 'CNAME', 'A', 'AAAA'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface PlannedRecord {
  type: RecordType;
  /** Fully qualified, lowercase A-label form, without the trailing dot. */
  host: string;
  /**
   * Record data in zone-file presentation form: MX `10 mx.example.net.`, SRV
   * `0 1 993 mx.example.net.`, TXT unquoted (one logical string, however long), A and AAAA an
   * address.
   */
  value: string;
  ttl: number;
  /** One plain sentence: what breaks without this record. */
  purpose: string;
}

export type RecordStatus = 'ok' | 'missing' | 'mismatch' | 'error' | 'unchecked';

export interface CheckedRecord extends PlannedRecord {
  status: RecordStatus;
  /** What the resolvers returned for this host and type, in presentation form. */
  found: string[];
  /** How to fix it, empty when ok. */
  hint: string;
}
