import { describe, expect, it } from 'vitest';
import {
  checkQuotaMb,
  DEFAULT_QUOTA_MB,
  MAX_QUOTA_MB,
  MIN_QUOTA_MB,
} from '../../src/core/quota.js';
import { expectFailure, expectValue } from './expect-checked.js';

describe('checkQuotaMb', () => {
  it.each([MIN_QUOTA_MB, DEFAULT_QUOTA_MB, MAX_QUOTA_MB])('accepts %i MB', (value) => {
    expect(expectValue(checkQuotaMb(value))).toBe(value);
  });

  it.each([MIN_QUOTA_MB - 1, MAX_QUOTA_MB + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -1024])(
    'rejects %s and states the range',
    (value) => {
      expectFailure(checkQuotaMb(value), 'quota_out_of_range', 'from 10 to 102400');
    },
  );
});
