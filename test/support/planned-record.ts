import type { PlannedRecord, RecordType } from '../../src/core/dns-record.js';

/** A planned record for DNS tests, with an hour's TTL unless the test is about TTLs. */
export const plannedRecord = (
  type: RecordType,
  host: string,
  value: string,
  ttl = 3600,
): PlannedRecord => ({ type, host, value, ttl, purpose: 'test' });
