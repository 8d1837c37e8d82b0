import type { Dialect } from '../src/store/dialect.js';
import {
  cpuBetween,
  cpuRows,
  cpuSnapshot,
  measureHashing,
  type CpuBreakdown,
  type Hashing,
} from './bulk-jobs.js';
import {
  CORES,
  MAX_MAILBOXES_PER_HOSTNAME,
  collectGarbage,
  expectStatus,
  freshContext,
  fromEnv,
  inParallel,
  keepAliveLanes,
  log,
  startServer,
  type Row,
  type Suite,
} from './support.js';

/** MAILWRIGHT_BENCH_CREATE_COUNT shrinks the run for a quick check (e.g. 200). */
const MAILBOXES = fromEnv('MAILWRIGHT_BENCH_CREATE_COUNT', 1000);
/** More than the cores, so the hashing threads never idle waiting for the next request. */
const IN_FLIGHT = Math.max(8, 4 * CORES);
/**
 * Alternations of the creations with their ceiling (one hash at a time, then hashes on every
 * core), so a change in the machine's load while the bench runs (other work shares it) weighs
 * on the measurement and its ceiling alike.
 */
const ROUNDS = 4;
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
          const client = keepAliveLanes(server, IN_FLIGHT);
          const create = async (localPart: string, i: number) =>
            expectStatus(
              await client.request('POST', '/v1/mailboxes', body(localPart, i)),
              201,
              `create ${localPart}`,
            );
          // Not counted: JIT, lazily compiled schemas, the first keep-alive connections.
          await inParallel(WARMUP, IN_FLIGHT, (i) => create(`warmup${i}`, WARMUP + i));

          const perRound = Math.ceil(MAILBOXES / ROUNDS);
          log(
            `creating ${perRound * ROUNDS} mailboxes on ${dialect}, ${IN_FLIGHT} in flight, in ${ROUNDS} rounds alternating with the hashing ceiling…`,
          );
          const ceilings: Hashing[] = [];
          let wallMs = 0;
          let loopBusyMs = 0;
          let cpuMicros = 0;
          const spans: CpuBreakdown[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            ceilings.push(await measureHashing());
            collectGarbage();
            const start = performance.now();
            const loopBefore = performance.eventLoopUtilization();
            const cpuBefore = process.cpuUsage();
            const coresBefore = cpuSnapshot();
            await inParallel(perRound, IN_FLIGHT, (i) =>
              create(`user${round * perRound + i}`, round * perRound + i),
            );
            const ms = performance.now() - start;
            wallMs += ms;
            const cpu = process.cpuUsage(cpuBefore);
            cpuMicros += cpu.user + cpu.system;
            spans.push(cpuBetween(coresBefore, cpuSnapshot()));
            // Share of the run the main thread was busy (server and this client share it).
            loopBusyMs += performance.eventLoopUtilization(loopBefore).utilization * ms;
          }
          ceilings.push(await measureHashing());
          client.close();
          const created = perRound * ROUNDS;
          const loopBusy = loopBusyMs / wallMs;
          const cores = sumBreakdowns(spans);

          const meanOf = (pick: (h: Hashing) => number | undefined): number | undefined => {
            const values = ceilings.map(pick);
            return values.some((v) => v === undefined)
              ? undefined
              : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
          };
          const singleMs = meanOf((h) => h.singleMs)!;
          const singleCpuMs = meanOf((h) => h.singleCpuMs);
          const limit = CORES / (singleMs / 1000);
          const parallel = meanOf((h) => h.parallelPerSecond)!;
          const perSecond = created / (wallMs / 1000);
          const cpuMs = cpuMicros / 1000 / created;
          // Main-thread CPU per creation (server and this client share the thread).
          const mainMs = cores.mainThread && (cores.mainThread.run * wallMs) / created;
          log(
            `single hash ${ceilings.map((h) => h.singleMs.toFixed(1)).join(', ')} ms → ` +
              `limit ${limit.toFixed(0)}/s; ${perSecond.toFixed(1)} creations/s = ${(perSecond / limit).toFixed(3)} of it; ` +
              `process CPU ${cpuMs.toFixed(2)} ms per creation (hash included)`,
          );

          const rows: Row[] = [
            {
              benchmark: `create mailbox via HTTP, ${dialect} (${created.toLocaleString('en-US')} on ${HOSTNAMES.length} domains, ${IN_FLIGHT} in flight, ${ROUNDS} rounds alternating with the ceiling)`,
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
              benchmark: `  single Argon2id hash, one at a time (mean of ${ceilings.length}, around the rounds)`,
              result: singleMs,
              unit: 'ms',
            },
            {
              benchmark: `  measured parallel limit (hashes on every core, mean of ${ceilings.length})`,
              result: parallel,
              unit: 'hashes/s',
            },
            {
              benchmark: '  ratio to measured parallel limit',
              result: perSecond / parallel,
              unit: '×',
            },
            {
              // Every creation hashes once: with nothing else to do, the cores could create at
              // most at the rate they hash in parallel, whatever the request path costs.
              benchmark:
                '  highest ratio any creation could reach (measured parallel ÷ hashing limit)',
              result: parallel / limit,
              unit: '×',
            },
            ...(mainMs !== undefined
              ? [
                  {
                    // The main thread's CPU competes with the hashes for the same cores: cores ÷
                    // (cores ÷ parallel limit + main thread per creation), ÷ hashing limit. Still
                    // a bound: the database server and other processes are left out.
                    benchmark: '  highest ratio with this run’s main thread beside the hashes',
                    result: CORES / (CORES / parallel + mainMs / 1000) / limit,
                    unit: '×',
                  },
                ]
              : []),
            {
              benchmark: '  process CPU per creation (all threads, hash included)',
              result: cpuMs,
              unit: 'ms',
            },
            ...(mainMs !== undefined
              ? [
                  {
                    // CPU time, so it moves little with the machine's load, unlike the rates.
                    benchmark:
                      '  main thread CPU per creation (server + client; the hash runs elsewhere)',
                    result: mainMs,
                    unit: 'ms',
                  },
                ]
              : []),
            {
              benchmark: '  event loop busy during the rounds (server + client)',
              result: loopBusy * 100,
              unit: '%',
            },
          ];
          // Where the cores went: hashing, this process's main thread (server and client), or
          // other processes on the machine.
          if (singleCpuMs !== undefined) rows.push(...cpuRows(cores, created, singleCpuMs));
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

/** The rounds' CPU breakdowns as one, weighted by each round's wall time. */
function sumBreakdowns(spans: CpuBreakdown[]): CpuBreakdown {
  const wallMs = spans.reduce((a, s) => a + s.wallMs, 0);
  const complete = spans.every((s) => s.mainThread && s.workers && s.otherProcesses !== undefined);
  if (!complete) return { wallMs };
  const weighted = (pick: (s: CpuBreakdown) => number) =>
    spans.reduce((a, s) => a + pick(s) * s.wallMs, 0) / wallMs;
  return {
    wallMs,
    otherProcesses: weighted((s) => s.otherProcesses!),
    mainThread: {
      run: weighted((s) => s.mainThread!.run),
      wait: weighted((s) => s.mainThread!.wait),
    },
    workers: {
      run: weighted((s) => s.workers!.run),
      wait: weighted((s) => s.workers!.wait),
      runMs: spans.reduce((a, s) => a + s.workers!.runMs, 0),
    },
  };
}
