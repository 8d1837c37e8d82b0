import { expect } from 'vitest';
import type { Checked } from '../../src/core/errors.js';

/** Asserts a failed check with `code` whose message contains the fixing hint. */
export function expectFailure<T>(checked: Checked<T>, code: string, hint: string | RegExp): void {
  expect(checked).toMatchObject({ ok: false, code });
  if (!checked.ok) expect(checked.message).toMatch(hint);
}

/** Asserts a passed check and returns its value. */
export function expectValue<T>(checked: Checked<T>): T {
  if (!checked.ok) expect.fail(`expected ok, got ${checked.code}: ${checked.message}`);
  return checked.value;
}
