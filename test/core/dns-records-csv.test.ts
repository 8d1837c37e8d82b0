import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { PlannedRecord } from '../../src/core/dns-record.js';
import { dnsRecordsCsv } from '../../src/core/dns-records-csv.js';

const record = (type: PlannedRecord['type'], host: string, value: string): PlannedRecord => ({
  type,
  host,
  value,
  ttl: 3600,
  purpose: 'test',
});

describe('dnsRecordsCsv', () => {
  it('writes a row per record of every domain under one header, CRLF, quoting commas', () => {
    const csv = dnsRecordsCsv([
      {
        name: 'a.com',
        records: [
          record('MX', 'a.com', '10 mx.mailwright.example.'),
          record('TXT', '_dmarc.a.com', 'v=DMARC1; p=quarantine; rua=mailto:x@y, mailto:z@w'),
        ],
      },
      { name: 'b.com', records: [record('SRV', '_imaps._tcp.b.com', '0 1 993 mx.example.')] },
    ]);
    expect(csv.split('\r\n')[0]).toBe('domain,type,host,value,ttl');
    expect(csv).toContain('a.com,MX,a.com,10 mx.mailwright.example.,3600\r\n');
    expect(parse(csv)).toEqual([
      ['domain', 'type', 'host', 'value', 'ttl'],
      ['a.com', 'MX', 'a.com', '10 mx.mailwright.example.', '3600'],
      [
        'a.com',
        'TXT',
        '_dmarc.a.com',
        'v=DMARC1; p=quarantine; rua=mailto:x@y, mailto:z@w',
        '3600',
      ],
      ['b.com', 'SRV', '_imaps._tcp.b.com', '0 1 993 mx.example.', '3600'],
    ]);
  });

  it('writes only the header for no domains', () => {
    expect(dnsRecordsCsv([])).toBe('domain,type,host,value,ttl\r\n');
  });
});
