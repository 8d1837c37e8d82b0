/**
 * How long an Idempotency-Key names one bulk request: a retry within it gets the same job, and
 * after it the key is free for a new request.
 */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
export const IDEMPOTENCY_WINDOW_MS = IDEMPOTENCY_WINDOW_HOURS * 3_600_000;
/** Room for a UUID or a client's own request id; longer keys are refused before any query. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
