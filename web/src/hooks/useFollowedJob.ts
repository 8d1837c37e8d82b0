import { useEffect, useEffectEvent, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { Job } from '../api/types';

const POLL_MS = 600;
export const jobFinished = (job: Job): boolean => job.finishedAt !== null;

/**
 * Polls a job until it has finished; `onFinished` runs once when it ends. A failed poll is
 * kept in `error` and retried on the next tick. `setJob` takes a newer state (a cancel's answer).
 */
export function useFollowedJob(initial: Job, onFinished: () => void) {
  const [job, setJob] = useState(initial);
  const [error, setError] = useState<ApiError>();
  // Read when the job ends, not a reason to poll again.
  const ended = useEffectEvent(onFinished);
  useEffect(() => {
    if (jobFinished(job)) return;
    const timer = window.setTimeout(() => {
      api.GET('/v1/jobs/{id}', { params: { path: { id: job.id } } }).then(
        (next) => {
          setError(undefined);
          setJob(next);
          if (jobFinished(next)) ended();
        },
        (reason: unknown) => {
          if (!(reason instanceof ApiError)) throw reason;
          setError(reason);
          // Try again on the next tick: a new object restarts this effect.
          setJob((current) => ({ ...current }));
        },
      );
    }, POLL_MS);
    // Polls once per version of the job.
    return () => window.clearTimeout(timer);
  }, [job]);
  return { job, setJob, error };
}
