import { useCallback, useEffect, useEffectEvent, useState } from 'react';
import { ApiError } from '../api/client';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again, keeping the current data on screen meanwhile. */
  reload: () => void;
}

interface Answer<T> {
  data?: T;
  error?: ApiError;
  /** The request it answers: loading until the current one is answered. */
  of?: string;
}

/**
 * Runs `load` whenever `key` changes (null: not yet) and keeps its answer; a newer key cancels
 * the older request, so a slow answer never overwrites a newer one. `key` names what `load`
 * reads: its path and parameters.
 */
export function useLoader<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
): Resource<T> {
  const [answer, setAnswer] = useState<Answer<T>>({});
  const [generation, setGeneration] = useState(0);
  const request = key === null ? null : `${generation} ${key}`;
  // `load` is a new function on every render; `key` names what it loads.
  const start = useEffectEvent(load);

  useEffect(() => {
    if (request === null) return;
    const controller = new AbortController();
    start(controller.signal).then(
      (data) => setAnswer({ data, of: request }),
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        if (!(reason instanceof ApiError)) throw reason;
        setAnswer((current) => ({ ...current, error: reason, of: request }));
      },
    );
    return () => controller.abort();
  }, [request]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const loading = request !== null && answer.of !== request;
  return { data: answer.data, error: answer.error, loading, reload };
}
