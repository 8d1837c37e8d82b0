import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';

export interface Mutation {
  /** Starts the action; `busy` until it settles. */
  run: () => void;
  /** A form's onSubmit: stays on the page and starts the action. */
  submit: (event: FormEvent) => void;
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
export function useMutation(
  action: () => Promise<unknown>,
  onError?: (error: ApiError) => void,
): Mutation {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const run = (): void => {
    void (async () => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
      } catch (reason) {
        if (!(reason instanceof ApiError)) throw reason;
        setError(reason);
        onError?.(reason);
      } finally {
        setBusy(false);
      }
    })();
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    run();
  };

  return { run, submit, busy, error, reset: () => setError(undefined) };
}
