/**
 * One error type for everything a caller can get wrong or run into. Adapters (HTTP, CLI) map
 * `kind` to a status code in one place, so a service never thinks in HTTP terms.
 */
export type ErrorKind =
  | 'validation' // 422: the input breaks a rule; `issues` names each field
  | 'conflict' // 409: the input is fine but clashes with what exists
  | 'not_found' // 404: unknown, or belongs to another account (never 403)
  | 'unauthorized' // 401: no or bad credentials
  | 'forbidden' // 403: a cookie request without the console's CSRF proof, or a token lacking a scope
  | 'rate_limited' // 429: a cooldown is running; `details.retryAt` says until when
  | 'gone' // 410: existed once, never again (e.g. credentials already downloaded)
  | 'unavailable'; // 503: a server the change depends on (Dovecot) did not answer; retry later

export interface FieldIssue {
  /** Dotted path of the input field, e.g. `name` or `password.value`. */
  field: string;
  /** Stable snake_case identifier clients can branch on. */
  code: string;
  /** Tells the user how to fix the input. */
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Stable snake_case identifier of the whole error. */
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** Extra, non-secret facts for the client (e.g. TXT records found). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** A single invalid field: the code and message of the issue are also the error's. */
export class ValidationError extends AppError {
  constructor(field: string, code: string, message: string) {
    super('validation', code, message, [{ field, code, message }]);
    this.name = 'ValidationError';
  }
}

/** Several invalid fields reported at once, so a form can show every problem in one round. */
export function validationErrors(issues: FieldIssue[]): AppError {
  const first = issues[0];
  if (!first) throw new Error('validationErrors needs at least one issue');
  return issues.length === 1
    ? new ValidationError(first.field, first.code, first.message)
    : new AppError('validation', 'invalid_input', `${issues.length} fields are invalid.`, issues);
}

export const notFound = (what: string, id: string): AppError =>
  new AppError('not_found', `${what}_not_found`, `No ${what} "${id}" in this account.`);

/**
 * 429 with when to come back: `retryAt` (ISO) for people, `retryAfterSeconds` for the HTTP
 * layer's Retry-After header and for scripts.
 */
export function rateLimited(code: string, message: string, retryAt: string, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(retryAt) - now.getTime()) / 1000));
  return new AppError('rate_limited', code, message, [], { retryAt, retryAfterSeconds });
}

export const conflict = (
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): AppError => new AppError('conflict', code, message, [], details);

/**
 * Result of checking one input with a pure rule: either the normalised value or why not.
 * Rules return this instead of throwing so bulk inputs (labels, CSV rows) can collect
 * per-item reasons, and property tests can assert "never throws".
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
export const fail = <T = never>(code: string, message: string): Checked<T> => ({
  ok: false,
  code,
  message,
});

/** Turns a failed check into the ValidationError of `field`; returns the value otherwise. */
export function orThrow<T>(field: string, checked: Checked<T>): T {
  if (checked.ok) return checked.value;
  throw new ValidationError(field, checked.code, checked.message);
}

/**
 * Collects the problems of several fields so a form can show them all in one round trip,
 * instead of making the user fix one field per submit.
 */
export class IssueCollector {
  readonly issues: FieldIssue[] = [];

  check<T>(field: string, checked: Checked<T>): T | undefined {
    if (checked.ok) return checked.value;
    this.add(field, checked.code, checked.message);
    return undefined;
  }

  add(field: string, code: string, message: string): void {
    this.issues.push({ field, code, message });
  }

  /** Runs a check that throws validation errors (e.g. one spanning several fields). */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof AppError) || error.kind !== 'validation') throw error;
      this.issues.push(...error.issues);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw validationErrors(this.issues);
  }
}
