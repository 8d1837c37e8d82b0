import type { Dialect } from '../src/store/dialect.js';
import { cpuBetween, cpuRows, cpuSnapshot, mean, measureHashing } from './bulk-jobs.js';
import {
  CORES,
  MAX_MAILBOXES_PER_HOSTNAME,
  collectGarbage,
  expectStatus,
  freshContext,
  fromEnv,
  inParallel,
  log,
  startServer,
  type Row,
  type Suite,
} from './support.js';

/** MAILWRIGHT_BENCH_CREATE_COUNT shrinks the run for a quick check (e.g. 200). */
const MAILBOXES = fromEnv('MAILWRIGHT_BENCH_CREATE_COUNT', 1000);
/** More than the cores, so the hashing threads never idle waiting for the next request. */
const IN_FLIGHT = 8;
const WARMUP = 16;
const RATIO_TARGET = 0.9;
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
 * Single mailbox creations per second through `POST /v1/mailboxes` on the given database, over
 * a real socket, as a ratio to the machine's hashing limit measured in the same run: each
 * creation must pay for one Argon2id hash, so cores ÷ single-hash time is as fast as creation
 * can go; what it falls short by is HTTP, validation, SQL and the event loop.
 */
export function mailboxCreate(dialect: Dialect): Suite {
  return {
    name: `mailbox-create (${dialect})`,
    async run(): Promise<Row[]> {
      const { ctx, drop } = await freshContext(dialect);
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
          const hashingBefore = await measureHashing();
          collectGarbage();

          log(`creating ${MAILBOXES} mailboxes on ${dialect}, ${IN_FLIGHT} in flight…`);
          const start = performance.now();
          const loopBefore = performance.eventLoopUtilization();
          const cpuBefore = process.cpuUsage();
          const coresBefore = cpuSnapshot();
          await inParallel(MAILBOXES, IN_FLIGHT, async (i) => {
            expectStatus(
              await server.request('POST', '/v1/mailboxes', body(`user${i}`, i)),
              201,
              `create user${i}`,
            );
          });
          const wallMs = performance.now() - start;
          const cpu = process.cpuUsage(cpuBefore);
          const cores = cpuBetween(coresBefore, cpuSnapshot());
          // Share of the run the main thread was busy (server and this fetch client share it).
          const loopBusy = performance.eventLoopUtilization(loopBefore).utilization;

          // Measured again after the run and averaged, so a burst of load from elsewhere on a
          // shared machine during one of the two measurements moves the limit less.
          const hashingAfter = await measureHashing();
          const singleMs = (hashingBefore.singleMs + hashingAfter.singleMs) / 2;
          const singleCpuMs = mean(hashingBefore.singleCpuMs, hashingAfter.singleCpuMs);
          const limit = CORES / (singleMs / 1000);
          const parallel = (hashingBefore.parallelPerSecond + hashingAfter.parallelPerSecond) / 2;
          const perSecond = MAILBOXES / (wallMs / 1000);
          const cpuMs = (cpu.user + cpu.system) / 1000 / MAILBOXES;
          log(
            `single hash ${hashingBefore.singleMs.toFixed(2)} ms before, ${hashingAfter.singleMs.toFixed(2)} ms after → ` +
              `limit ${limit.toFixed(0)}/s; ${perSecond.toFixed(1)} creations/s = ${(perSecond / limit).toFixed(3)} of it; ` +
              `process CPU ${cpuMs.toFixed(2)} ms per creation (hash included)`,
          );

          const rows: Row[] = [
            {
              benchmark: `create mailbox via HTTP, ${dialect} (${MAILBOXES.toLocaleString('en-US')} on ${HOSTNAMES.length} domains, ${IN_FLIGHT} in flight)`,
              result: perSecond,
              unit: 'creations/s',
            },
            {
              benchmark: '  ratio to hashing limit (cores ÷ single-hash time)',
              result: perSecond / limit,
              unit: '×',
              target: { op: '>', value: RATIO_TARGET },
            },
            {
              benchmark: `  hashing limit: ${CORES} cores ÷ single-hash time`,
              result: limit,
              unit: 'hashes/s',
            },
            {
              benchmark: '  single Argon2id hash, one at a time (mean, before + after)',
              result: singleMs,
              unit: 'ms',
            },
            {
              benchmark: '  measured parallel limit (hashes on every core, before + after)',
              result: parallel,
              unit: 'hashes/s',
            },
            {
              benchmark: '  ratio to measured parallel limit',
              result: perSecond / parallel,
              unit: '×',
            },
            {
              benchmark: '  process CPU per creation (all threads, hash included)',
              result: cpuMs,
              unit: 'ms',
            },
            {
              benchmark: '  event loop busy during the run (server + client)',
              result: loopBusy * 100,
              unit: '%',
            },
          ];
          // Where the cores went: hashing, this process's main thread (server and client), or
          // other processes on the machine.
          if (singleCpuMs !== undefined) rows.push(...cpuRows(cores, MAILBOXES, singleCpuMs));
          return rows;
        } finally {
          await server.close();
        }
      } finally {
        await drop();
      }
    },
  };
}
