import { hashPassword } from '../src/core/password-hash.js';
import {
  CORES,
  UV_THREADPOOL_SIZE,
  MAX_MAILBOXES_PER_HOSTNAME,
  expectStatus,
  freshContext,
  inParallel,
  log,
  startServer,
  type Row,
  type Suite,
} from './support.js';

const MAILBOXES = 1000;
/** More than the hashing threads, so the pool never idles waiting for the next request. */
const IN_FLIGHT = 8;
const WARMUP = 16;
const HASH_SAMPLES = 50;
// A hostname holds at most 100 mailboxes, so the creations are spread round-robin over
// bench.example, bench1.example, … (each sized for 100 default-quota mailboxes).
const HOSTNAMES = Array.from(
  { length: Math.ceil((MAILBOXES + WARMUP) / MAX_MAILBOXES_PER_HOSTNAME) },
  (_, k) => (k === 0 ? 'bench.example' : `bench${k}.example`),
);

const body = (localPart: string, i: number) => ({
  mode: 'single',
  name: 'Josh Smith',
  localPart,
  domain: HOSTNAMES[i % HOSTNAMES.length],
  password: { generate: true },
});

/**
 * Single mailbox creations per second through `POST /v1/mailboxes` on SQLite, over a real
 * socket, and how much of that time is the Argon2id hash every creation must pay for.
 */
export const mailboxCreate: Suite = {
  name: 'mailbox-create (sqlite)',
  async run(): Promise<Row[]> {
    // One hash at a time, nothing else running: the cost of a single hash on one core.
    for (let i = 0; i < 3; i++) await hashPassword(`warm-up-${i}`);
    const hashStart = performance.now();
    for (let i = 0; i < HASH_SAMPLES; i++) await hashPassword(`bench-password-${i}`);
    const hashMs = (performance.now() - hashStart) / HASH_SAMPLES;
    log(`single hash: ${hashMs.toFixed(1)} ms (mean of ${HASH_SAMPLES})`);

    const { ctx, drop } = await freshContext('sqlite');
    try {
      const server = await startServer(ctx);
      try {
        for (const name of HOSTNAMES) await server.verifiedDomain(name);
        // Not counted: JIT, lazily compiled schemas, the first keep-alive connections.
        await inParallel(WARMUP, IN_FLIGHT, async (i) => {
          expectStatus(
            await server.request('POST', '/v1/mailboxes', body(`warmup${i}`, i)),
            201,
            'warm-up create',
          );
        });

        log(`creating ${MAILBOXES} mailboxes, ${IN_FLIGHT} in flight…`);
        const start = performance.now();
        const loopBefore = performance.eventLoopUtilization();
        await inParallel(MAILBOXES, IN_FLIGHT, async (i) => {
          expectStatus(
            await server.request('POST', '/v1/mailboxes', body(`user${i}`, i)),
            201,
            `create user${i}`,
          );
        });
        const wallMs = performance.now() - start;
        // Share of the run the main thread was busy (server and this fetch client share it): near
        // 100% means the event loop, not hashing, limits the creation rate.
        const loopBusy = performance.eventLoopUtilization(loopBefore).utilization;

        // Share of the run spent hashing. Each creation hashes once, and one hash costs hashMs of
        // one thread's time, so the run needed MAILBOXES × hashMs thread-ms of hashing. Hashes run
        // on libuv's threadpool, so at most min(cores, UV_THREADPOOL_SIZE) of them progress at
        // once (more threads than cores add no CPU; there are never more than the pool's threads).
        // The most hashing the run's wall time could hold is therefore wallMs × that parallelism,
        // and the ratio says how close the endpoint came to being purely hash-bound (100%). The
        // rest is HTTP, validation, SQLite writes and the event loop competing for the same cores.
        // It is an estimate and errs low: hashes contending for cores and memory bandwidth run
        // slower than the single-hash figure, so their real thread time is somewhat higher.
        const hashingThreads = Math.min(CORES, UV_THREADPOOL_SIZE);
        const hashingShare = (hashMs * MAILBOXES) / (wallMs * hashingThreads);

        return [
          {
            benchmark: `create mailbox via HTTP, sqlite (1,000 on ${HOSTNAMES.length} domains, ${IN_FLIGHT} in flight)`,
            result: MAILBOXES / (wallMs / 1000),
            unit: 'creations/s',
          },
          {
            benchmark: `  share of that time spent hashing (${hashingThreads} hashing threads)`,
            result: hashingShare * 100,
            unit: '%',
          },
          {
            benchmark: '  event loop busy during the run (server + client)',
            result: loopBusy * 100,
            unit: '%',
          },
          {
            benchmark: '  single Argon2id hash (mean of 50, one at a time)',
            result: hashMs,
            unit: 'ms',
          },
          {
            benchmark: "  machine's hashing limit (cores ÷ single-hash time)",
            result: CORES / (hashMs / 1000),
            unit: 'hashes/s',
          },
        ];
      } finally {
        await server.close();
      }
    } finally {
      await drop();
    }
  },
};
