import { useSyncExternalStore } from 'react';

// Twice a second, so the shown number never skips one between two ticks.
function everyHalfSecond(tick: () => void): () => void {
  const timer = window.setInterval(tick, 500);
  return () => window.clearInterval(timer);
}

/**
 * Whole seconds left until `until` (an ISO time), updated live; 0 once it has passed. The
 * clock is read as an external store: the page renders again only when the number changes.
 */
export function useCountdown(until: string | null | undefined): number {
  const target = until ? Date.parse(until) : NaN;
  return useSyncExternalStore(everyHalfSecond, () =>
    Number.isNaN(target) ? 0 : Math.max(0, Math.ceil((target - Date.now()) / 1000)),
  );
}
