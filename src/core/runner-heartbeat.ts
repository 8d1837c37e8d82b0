/**
 * How a job runner shows it is alive: a heartbeat row in the database, written on a timer of its
 * own (a long wave of hashing does not delay it), which `mailwright doctor` judges.
 */

/** A running job runner writes its heartbeat this often (and when it starts). */
export const RUNNER_HEARTBEAT_SECONDS = 30;

/**
 * `doctor` calls the job runner dead when the newest heartbeat is older than this: four beats
 * missed, so one slow database write or a busy machine is not an alarm.
 */
export const RUNNER_SILENT_AFTER_SECONDS = 4 * RUNNER_HEARTBEAT_SECONDS;

/**
 * The heartbeat of a runner that stopped is kept this long, so `doctor` can say when the job
 * runner was last seen; each new process has its own row, and the older ones go.
 */
export const RUNNER_HEARTBEAT_KEPT_SECONDS = 7 * 86_400;

/** Whole seconds from a heartbeat at `beatAt` to `now`. */
export function secondsSince(beatAt: Date, now: Date): number {
  return Math.floor((now.getTime() - beatAt.getTime()) / 1000);
}
