import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MESSAGE_SIZE_LIMIT } from '../../src/core/message-size.js';
import { MAX_QUOTA_MB, MIN_QUOTA_MB } from '../../src/core/quota.js';
import { QUOTA_WATCH_MARGIN_MB, quotaNearlyFull } from '../../src/core/quota-watch.js';

const MiB = 1024 * 1024;

describe('the quota watch', () => {
  it('is the largest message below the quota', () => {
    expect(QUOTA_WATCH_MARGIN_MB * MiB).toBe(MESSAGE_SIZE_LIMIT);
    expect(quotaNearlyFull(1024 - QUOTA_WATCH_MARGIN_MB - 0.01, 1024)).toBe(false);
    expect(quotaNearlyFull(1024 - QUOTA_WATCH_MARGIN_MB, 1024)).toBe(true);
    // A quota no larger than one message: watched even empty.
    expect(quotaNearlyFull(0, QUOTA_WATCH_MARGIN_MB)).toBe(true);
    expect(quotaNearlyFull(0, MIN_QUOTA_MB)).toBe(true);
  });

  it('watches every mailbox a message of the largest size could overfill', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_QUOTA_MB, max: MAX_QUOTA_MB }),
        fc.double({ min: 0, max: MAX_QUOTA_MB, noNaN: true }),
        (quotaMb, usedMb) => {
          if (usedMb * MiB + MESSAGE_SIZE_LIMIT > quotaMb * MiB) {
            expect(quotaNearlyFull(usedMb, quotaMb)).toBe(true);
          }
        },
      ),
    );
  });

  it('watches a mailbox whose usage the mail plane cannot tell', () => {
    expect(quotaNearlyFull(null, MAX_QUOTA_MB)).toBe(true);
  });
});
