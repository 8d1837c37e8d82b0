import { fail, ok, type Checked } from './errors.js';

export const DEFAULT_QUOTA_MB = 1024;
export const MIN_QUOTA_MB = 10;
export const MAX_QUOTA_MB = 102400;

/** Mailbox storage limit in whole megabytes. */
export function checkQuotaMb(value: number): Checked<number> {
  if (!Number.isInteger(value) || value < MIN_QUOTA_MB || value > MAX_QUOTA_MB) {
    return fail(
      'quota_out_of_range',
      `Enter a whole number of megabytes from ${MIN_QUOTA_MB} to ${MAX_QUOTA_MB} (100 GB), for example ${DEFAULT_QUOTA_MB} for 1 GB.`,
    );
  }
  return ok(value);
}
