import { hashPassword } from '../src/core/password-hash.js';
import { HashPool } from '../src/services/jobs/support/hash-pool.js';
import { mapConcurrent } from './map-concurrent.js';
import { CORES, type Row, type Suite } from './support.js';

const HASHES = 20 * CORES;

/**
 * The issue asks which runs argon2 faster on every core: the library's async API on libuv's
 * threadpool (what single creations use), or worker threads each hashing synchronously (the
 * HashPool bulk jobs use, chosen on this measurement). Same hashes, parameters and core count.
 */
export const hashPools: Suite = {
  name: 'hash-pools',
  async run(): Promise<Row[]> {
    await hashPassword('warm-up'); // load the native module and fault in its memory
    const pool = new HashPool(CORES);
    await Promise.all(Array.from({ length: CORES }, () => pool.hash('warm-up')));
    const plains = Array.from({ length: HASHES }, (_, i) => `password-${i}`);
    const rate = async (fn: () => Promise<unknown>) => {
      const started = performance.now();
      await fn();
      return HASHES / ((performance.now() - started) / 1000);
    };
    // Alternating rounds, best of three each, so other load on the machine hits both alike.
    let libuv = 0;
    let threads = 0;
    for (let round = 0; round < 3; round++) {
      libuv = Math.max(libuv, await rate(() => mapConcurrent(plains, CORES, hashPassword)));
      threads = Math.max(threads, await rate(() => Promise.all(plains.map((p) => pool.hash(p)))));
    }

    return [
      {
        benchmark: `argon2id on libuv's pool, async API, ${CORES} in flight`,
        result: libuv,
        unit: 'hashes/s',
      },
      {
        benchmark: `argon2id on ${CORES} worker threads (HashPool, what bulk jobs use)`,
        result: threads,
        unit: 'hashes/s',
      },
    ];
  },
};
