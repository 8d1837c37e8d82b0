import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { jobRunnerCheck, type DoctorCheck } from '../../src/app/doctor.js';
import {
  RUNNER_HEARTBEAT_KEPT_SECONDS,
  RUNNER_HEARTBEAT_SECONDS,
  RUNNER_SILENT_AFTER_SECONDS,
} from '../../src/core/runner-heartbeat.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import type { Store } from '../../src/store/database.js';
import { latestHeartbeat, recordHeartbeat } from '../../src/store/runner-heartbeats.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';

const T0 = new Date('2026-06-01T12:00:00.000Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/**
 * The job runner's heartbeat as `mailwright doctor` judges it: a real runner over a real
 * database, its clock and its heartbeat timer moved by the test instead of waited for.
 */
describe.each(DIALECTS)('the job runner’s heartbeat on %s', (dialect) => {
  let store: Store;
  let drop: () => Promise<void>;
  let now = T0;
  let runner: JobRunner | undefined;

  beforeAll(async () => {
    ({ store, drop } = await freshStore(dialect));
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    vi.useRealTimers();
  });
  afterAll(() => drop());

  /** doctor's job-runner line as of `at`. */
  const check = async (at: Date): Promise<DoctorCheck> => {
    const lines: DoctorCheck[] = [];
    await jobRunnerCheck(
      store.db,
      at,
      30,
      (name, detail) => lines.push({ name, ok: true, detail }),
      (name, detail, fix) => lines.push({ name, ok: false, detail, fix }),
    );
    expect(lines.map((l) => l.name)).toEqual(['job-runner']);
    return lines[0]!;
  };
  const beatAt = async (at: Date) =>
    vi.waitFor(async () =>
      expect((await latestHeartbeat(store.db))?.beat_at).toBe(at.toISOString()),
    );

  it('has doctor say no runner ever ran, with the fix, before one starts', async () => {
    expect(await check(T0)).toEqual({
      name: 'job-runner',
      ok: false,
      detail: 'no job runner has ever written a heartbeat to this database',
      fix: expect.stringMatching(
        /^Start the API, which runs the job runner: systemctl start mailwright/,
      ),
    });
  });

  it('beats at start and on its timer; doctor calls it dead once it has been silent too long', async () => {
    // Only the heartbeat's timer is faked: the runner's loop and the database keep real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    runner = new JobRunner(testContext(store, { clock: () => now }));
    runner.start();
    await beatAt(T0);
    expect(await check(later(RUNNER_SILENT_AFTER_SECONDS))).toEqual({
      name: 'job-runner',
      ok: true,
      detail: `alive: ${runner.id} beat ${RUNNER_SILENT_AFTER_SECONDS} s ago`,
    });
    const dead = await check(later(RUNNER_SILENT_AFTER_SECONDS + 1));
    expect(dead.ok).toBe(false);
    expect(dead.detail).toBe(
      `no heartbeat for ${RUNNER_SILENT_AFTER_SECONDS + 1} s (last: ${runner.id} at ${T0.toISOString()}; a running one beats every ${RUNNER_HEARTBEAT_SECONDS} s)`,
    );
    expect(dead.fix).toMatch(/systemctl start mailwright/);

    now = later(RUNNER_HEARTBEAT_SECONDS);
    vi.advanceTimersByTime(RUNNER_HEARTBEAT_SECONDS * 1000);
    await beatAt(now);
    expect((await check(later(RUNNER_SILENT_AFTER_SECONDS + 1))).ok).toBe(true);
  });

  it('forgets the heartbeats of runners silent for longer than it keeps them', async () => {
    now = later(RUNNER_HEARTBEAT_KEPT_SECONDS);
    const kept = later(1).toISOString();
    await recordHeartbeat(store.db, 'runner:gone', later(-1).toISOString(), T0.toISOString());
    await recordHeartbeat(store.db, 'runner:stopped', kept, T0.toISOString());
    runner = new JobRunner(testContext(store, { clock: () => now }));
    runner.start();
    await beatAt(now);
    await runner.stop();
    const rows = await store.db.selectFrom('runner_heartbeats').select('runner_id').execute();
    const ids = rows.map((r) => r.runner_id);
    expect(ids).not.toContain('runner:gone');
    expect(ids).toEqual(expect.arrayContaining(['runner:stopped', runner.id]));
  });
});
