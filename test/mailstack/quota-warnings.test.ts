import { describe, expect, it } from 'vitest';
import { parseQuotaWarning } from '../../src/mailstack/quota-warnings.js';

/** What Dovecot 2.3's quota plugin writes to the socket a warning names (program-client). */
const request = (...lines: string[]) => ['VERSION\tscript\t4\t0', 'noreply', ...lines].join('\n');

describe("Dovecot's quota warnings", () => {
  it('reads the crossing and the address, either way, past any environment lines', () => {
    expect(parseQuotaWarning(request('over', 'josh@example.com'))).toEqual({
      crossing: 'over',
      address: 'josh@example.com',
    });
    expect(parseQuotaWarning(request('env_USER=josh', 'under', 'josh@example.com'))).toEqual({
      crossing: 'under',
      address: 'josh@example.com',
    });
  });

  it('takes nothing that is not a warning of ours', () => {
    for (const text of [
      '',
      'over\njosh@example.com',
      request('over'),
      request('over', 'josh@example.com', 'extra'),
      request('full', 'josh@example.com'),
      request('over', 'not-an-address'),
      ['VERSION\tscript\t4\t0', '-', 'over', 'josh@example.com'].join('\n'),
      ['VERSION\tdoveadm\t1\t0', 'noreply', 'over', 'josh@example.com'].join('\n'),
    ]) {
      expect(parseQuotaWarning(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
