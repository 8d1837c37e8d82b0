import { useEffect, useState } from 'react';

/** Whole seconds left until `until` (an ISO time), updated live; 0 once it has passed. */
export function useCountdown(until: string | null | undefined): number {
  const [, setTick] = useState(0);
  const target = until ? Date.parse(until) : NaN;
  const left = Number.isNaN(target) ? 0 : Math.max(0, Math.ceil((target - Date.now()) / 1000));
  const running = left > 0;

  useEffect(() => {
    if (!running) return;
    // Twice a second, so the shown number never skips one between two ticks.
    const timer = window.setInterval(() => setTick((n) => n + 1), 500);
    return () => window.clearInterval(timer);
  }, [running]);

  return left;
}
