/**
 * What the unit tier's guard (unit-guard.ts) refused during the current test. Kept on the global
 * object, so the guard and a test that imports this module see the same list.
 */
const KEY = Symbol.for('mailwright.unitGuard.violations');
type WithViolations = typeof globalThis & { [KEY]?: string[] };

function violations(): string[] {
  return ((globalThis as WithViolations)[KEY] ??= []);
}

export function recordViolation(message: string): void {
  violations().push(message);
}

/** Empties the list and returns what it held. */
export function takeViolations(): string[] {
  return violations().splice(0);
}
