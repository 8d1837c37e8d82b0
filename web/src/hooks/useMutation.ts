import { useState } from 'react';
import { ApiError } from '../api/client';

export interface Mutation<A extends unknown[]> {
  /** Starts the action; `busy` until it settles. */
  run: (...args: A) => void;
  /** True while the action runs: its button is disabled meanwhile. */
  busy: boolean;
  /** The API's refusal of the last run, until the next run or `reset`. */
  error: ApiError | undefined;
  /** Forgets the refusal, e.g. when the user goes back to the form. */
  reset: () => void;
}

/**
 * An action that changes something on the server, run from a form or a button: busy while it
 * runs, and the API's refusal kept to show beside the form. `onError` runs after a refusal
 * (for what a refusal says beyond its message, such as a cooldown's end). Anything other than
 * an ApiError is a bug and is thrown on.
 */
export function useMutation<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
  onError?: (error: ApiError) => void,
): Mutation<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const run = (...args: A): void => {
    void (async () => {
      setBusy(true);
      setError(undefined);
      try {
        await action(...args);
      } catch (reason) {
        if (!(reason instanceof ApiError)) throw reason;
        setError(reason);
        onError?.(reason);
      } finally {
        setBusy(false);
      }
    })();
  };

  return { run, busy, error, reset: () => setError(undefined) };
}
