import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ARGON2_OPTIONS, withScheme } from '../../../core/password-hash.js';

// Plain CommonJS evaluated in each thread, so the pool works the same under tsx, vitest and
// the built dist/ without a loader for a TypeScript worker file.
// A thread holds one task at a time, so a message is the bare password one way and the bare
// hash the other (an object only for an error): no ids to clone and look up per hash.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hashSync } = require(workerData.argon2);
parentPort.on('message', (plain) => {
  try {
    parentPort.postMessage(hashSync(plain, workerData.options));
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

interface Task {
  plain: string;
  resolve(hash: string): void;
  reject(error: Error): void;
}

/**
 * Argon2id on dedicated worker threads, one per core, for bulk jobs. Measured here
 * (`npm run bench -- hash-pools`) it hashes faster than the library's async API on libuv's
 * pool — no hand-off through the main thread per hash — and it leaves libuv's threads to the
 * rest of the server, so a large job cannot queue file or DNS work behind thousands of hashes.
 */
export class HashPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Task[] = [];
  private readonly running = new Map<Worker, Task>();

  constructor(readonly size: number) {
    const argon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { argon2, options: ARGON2_OPTIONS },
      });
      worker.on('message', (msg: string | { error: string }) => {
        const task = this.running.get(worker);
        this.running.delete(worker);
        if (typeof msg === 'string') task?.resolve(withScheme(msg));
        else task?.reject(new Error(msg.error));
        this.release(worker);
        this.dispatch();
      });
      worker.on('error', (error) => {
        for (const task of this.running.values()) task.reject(error);
        this.running.clear();
      });
      this.release(worker);
    }
  }

  hash(plain: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ plain, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const task = this.queue.shift()!;
      this.running.set(worker, task);
      // A busy thread keeps the process alive until its hash is back.
      worker.ref();
      worker.postMessage(task.plain);
    }
  }

  /** Idle threads must not keep a CLI command, a test or a stopping server alive. */
  private release(worker: Worker): void {
    worker.unref();
    this.idle.push(worker);
  }
}

const shared = new Map<number, HashPool>();

/**
 * One pool per process (of the configured size, `ctx.hashConcurrency`: by default one thread per
 * core keeps every core busy, each hash being single-threaded at p=1), started on first use so
 * processes that never run a job have none.
 */
export function sharedHashPool(size: number): HashPool {
  let pool = shared.get(size);
  if (!pool) {
    pool = new HashPool(size);
    shared.set(size, pool);
  }
  return pool;
}
