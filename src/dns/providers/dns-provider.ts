import type { PlannedRecord } from '../../core/dns-record.js';

/**
 * A DNS host Mailwright can write to. `publish` makes the zone hold exactly the planned data for
 * each (host, type) it is given — replacing that RRset, leaving every other record alone — and
 * is idempotent: publishing the same plan twice changes nothing the second time.
 */
export interface DnsProvider {
  readonly kind: 'rfc2136' | 'powerdns';
  publish(zone: string, records: PlannedRecord[]): Promise<{ changed: number }>;
}
