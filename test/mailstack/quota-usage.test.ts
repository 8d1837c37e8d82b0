import { describe, expect, it } from 'vitest';
import { dovecotQuotaUsage, parseStorageKb } from '../../src/mailstack/quota-usage.js';

describe('mailbox usage from Dovecot', () => {
  it('reads the STORAGE row of `doveadm -f tab quota get` as MB', () => {
    const output = [
      'Quota name\tType\tValue\tLimit\t%',
      'User quota\tSTORAGE\t9216\t10240\t90',
      'User quota\tMESSAGE\t1\t-\t0',
      '',
    ].join('\n');
    expect(parseStorageKb(output)).toBe(9);
    expect(parseStorageKb(output.replace('9216', '1536'))).toBe(1.5);
  });

  it('reports an unknown usage rather than an error when Dovecot cannot answer', async () => {
    expect(parseStorageKb("Error: User doesn't exist\n")).toBeNull();
    expect(await dovecotQuotaUsage('/nonexistent/dovecot.conf')('josh@example.com')).toBeNull();
  });
});
