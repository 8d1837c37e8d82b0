import { hashPassword } from '../src/core/password-hash.js';
import { CORES, UV_THREADPOOL_SIZE, expectStatus, freshDatabase, inParallel, log, startServer, type Row, type Suite } from './support.js';

const MAILBOXES = 1000;
/** More than the hashing threads, so the pool never idles waiting for the next request. */
const IN_FLIGHT = 8;
const WARMUP = 16;
const HASH_SAMPLES = 50;
const DOMAIN = 'bench.example';

const body = (localPart: string) => ({
  mode: 'single',
  name: 'Josh Smith',
  localPart,
  domain: DOMAIN,
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

    const { store, drop } = await freshDatabase('sqlite');
    try {
      const server = await startServer(store);
      try {
        await server.verifiedDomain(DOMAIN);
        // Not counted: JIT, statement caches, the first keep-alive connections.
        await inParallel(WARMUP, IN_FLIGHT, async (i) => {
          expectStatus(await server.request('POST', '/v1/mailboxes', body(`warmup${i}`)), 201, 'warm-up create');
        });

        log(`creating ${MAILBOXES} mailboxes, ${IN_FLIGHT} in flight…`);
        const start = performance.now();
        await inParallel(MAILBOXES, IN_FLIGHT, async (i) => {
          expectStatus(await server.request('POST', '/v1/mailboxes', body(`user${i}`)), 201, `create user${i}`);
        });
        const wallMs = performance.now() - start;

        // Share of the run spent hashing. Each creation hashes once, and one hash costs hashMs of
        // one thread's time, so the run needed MAILBOXES × hashMs thread-ms of hashing. Hashes run
        // on libuv's threadpool, so at most min(cores, UV_THREADPOOL_SIZE) of them progress at
        // once (more threads than cores add no CPU; there are never more than the pool's threads).
        // The most hashing the run's wall time could hold is therefore wallMs × that parallelism,
        // and the ratio says how close the endpoint came to being purely hash-bound (100%). The
        // rest is HTTP, validation, SQLite writes and the event loop competing for the same cores.
        // It is an estimate: hashes contending for cores and memory bandwidth run slower than
        // the single-hash figure, so it can overstate the share slightly.
        const hashingThreads = Math.min(CORES, UV_THREADPOOL_SIZE);
        const hashingShare = (hashMs * MAILBOXES) / (wallMs * hashingThreads);

        return [
          { benchmark: 'create mailbox via HTTP, sqlite (1,000, 8 in flight)', result: MAILBOXES / (wallMs / 1000), unit: 'creations/s' },
          { benchmark: `  share of that time spent hashing (${hashingThreads} hashing threads)`, result: hashingShare * 100, unit: '%' },
          { benchmark: '  single Argon2id hash (mean of 50, one at a time)', result: hashMs, unit: 'ms' },
          { benchmark: "  machine's hashing limit (cores ÷ single-hash time)", result: CORES / (hashMs / 1000), unit: 'hashes/s' },
        ];
      } finally {
        await server.close();
      }
    } finally {
      await drop();
    }
  },
};
