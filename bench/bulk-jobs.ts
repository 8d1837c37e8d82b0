import { readdirSync, readFileSync } from 'node:fs';
import { loadConfig } from '../src/app/config.js';
import { hashPassword } from '../src/core/password-hash.js';
import { DEFAULT_QUOTA_MB } from '../src/core/quota.js';
import { setAccountLimits } from '../src/services/accounts/set-account-limits.js';
import { addSubdomains } from '../src/services/domains/add-subdomains.js';
import { createMailboxesHandler } from '../src/services/jobs/handlers/create-mailboxes-handler.js';
import { sharedHashPool } from '../src/services/jobs/support/hash-pool.js';
import type { JobHandler } from '../src/services/jobs/handlers/job-handler.js';
import { JobRunner } from '../src/services/jobs/job-runner.js';
import { updateDomain } from '../src/services/domains/update-domain.js';
import type { Dialect } from '../src/store/dialect.js';
import {
  collectGarbage,
  CORES,
  expectStatus,
  freshContext,
  fromEnv,
  log,
  MAX_MAILBOXES_PER_HOSTNAME,
  people,
  percentile,
  seededRandom,
  startServer,
  type BenchServer,
  type Row,
  type Suite,
  COMPANIES,
} from './support.js';

/** MAILWRIGHT_BENCH_BULK_COUNT shrinks the run for a quick check (e.g. 1000). */
const MAILBOXES = fromEnv('MAILWRIGHT_BENCH_BULK_COUNT', 10_000);
/** A few thousand rows per upload, as a customer moving a large batch would send them. */
const ROWS_PER_JOB = 2_500;
// A hostname holds at most 100 mailboxes, so 10,000 need 100 full hostnames: 10 roots, each
// with 9 sub-domains.
const LABELS = ['sales', 'support', 'info', 'team', 'hello', 'news', 'mail', 'go', 'get'];
const SINGLE_HASH_SAMPLES = 30;
/** 2 × cores × 10 hashes, over the job handler's own lanes. */
const PARALLEL_HASHES = 2 * CORES * 10;
/** The job runner's hashing lanes as freshContext configures them: the default, one per core. */
const HASH_CONCURRENCY = loadConfig({}).hashConcurrency;
const WARMUP_ROWS = 32;
const DOMAINS_POLL_GAP_MS = 50;
const JOB_POLL_GAP_MS = 250;
const RATIO_TARGET = 0.85;
const DOMAINS_P99_TARGET_MS = 50;
/** The issue's wall-time aim for the full 10,000 (its machine's hashing limit: ~113/s). */
const WALL_TARGET_S = 105;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function hostnames(count: number): string[] {
  const out: string[] = [];
  for (let r = 0; out.length < count; r++) {
    const root = `${COMPANIES[r % COMPANIES.length]}${r < COMPANIES.length ? '' : Math.floor(r / COMPANIES.length)}.example`;
    out.push(root, ...LABELS.map((label) => `${label}.${root}`));
  }
  return out.slice(0, count);
}

/** The import file format: `name,local_part,domain` with a header row. */
const csv = (rows: { name: string; localPart: string; domain: string }[]) =>
  ['name,local_part,domain', ...rows.map((p) => `${p.name},${p.localPart},${p.domain}`)].join(
    '\n',
  ) + '\n';

export interface JobJson {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  errors: { address: string; code: string; message: string }[];
  finishedAt: string | null;
}

async function submitImport(server: BenchServer, body: string): Promise<string> {
  const res = await server.request('POST', '/v1/mailboxes/import', body, 'text/csv');
  expectStatus(res, 202, 'POST /v1/mailboxes/import');
  return (JSON.parse(res.text) as { job: JobJson }).job.id;
}

/** Polls the jobs' progress the way a client would until every one has finished. */
export async function waitForJobs(server: BenchServer, ids: string[]): Promise<JobJson[]> {
  const finished = new Map<string, JobJson>();
  for (;;) {
    for (const id of ids) {
      if (finished.has(id)) continue;
      const res = await server.request('GET', `/v1/jobs/${id}`);
      expectStatus(res, 200, `GET /v1/jobs/${id}`);
      const job = JSON.parse(res.text) as JobJson;
      if (job.status === 'succeeded' || job.status === 'failed') finished.set(id, job);
    }
    if (finished.size === ids.length) return ids.map((id) => finished.get(id)!);
    await sleep(JOB_POLL_GAP_MS);
  }
}

// ---------------------------------------------------------------------------------------------
// Where the cores went (Linux /proc; the rows are left out elsewhere)

export interface CpuSnapshot {
  at: number;
  /** Whole machine, in clock ticks. */
  machine?: { busy: number; total: number };
  /** Per thread of this process (ms): on a core, and runnable but waiting for one. */
  threads?: Map<string, { runMs: number; waitMs: number }>;
}

export interface CpuBreakdown {
  wallMs: number;
  /** Cores, averaged over the interval. */
  otherProcesses?: number;
  mainThread?: { run: number; wait: number };
  /**
   * Every other thread of this process: libuv's pool, where the hashes run, and V8's few GC
   * helpers (a small share).
   */
  workers?: { run: number; wait: number; runMs: number };
}

export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = { at: performance.now() };
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    snapshot.machine = { busy: total - fields[3]! - fields[4]!, total };
    const threads = new Map<string, { runMs: number; waitMs: number }>();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8')
          .trim()
          .split(/\s+/)
          .map(Number);
        threads.set(tid, { runMs: run! / 1e6, waitMs: wait! / 1e6 });
      } catch {
        // The thread ended between the listing and the read.
      }
    }
    snapshot.threads = threads;
  } catch {
    // Not Linux, or /proc is not mounted.
  }
  return snapshot;
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuBreakdown {
  const wallMs = after.at - before.at;
  const out: CpuBreakdown = { wallMs };
  if (!before.threads || !after.threads || !before.machine || !after.machine) return out;
  const main = { runMs: 0, waitMs: 0 };
  const workers = { runMs: 0, waitMs: 0 };
  for (const [tid, now] of after.threads) {
    const then = before.threads.get(tid) ?? { runMs: 0, waitMs: 0 };
    const into = tid === String(process.pid) ? main : workers;
    into.runMs += now.runMs - then.runMs;
    into.waitMs += now.waitMs - then.waitMs;
  }
  const machineBusy =
    ((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) *
    CORES;
  const own = (main.runMs + workers.runMs) / wallMs;
  return {
    wallMs,
    otherProcesses: Math.max(0, machineBusy - own),
    mainThread: { run: main.runMs / wallMs, wait: main.waitMs / wallMs },
    workers: { run: workers.runMs / wallMs, wait: workers.waitMs / wallMs, runMs: workers.runMs },
  };
}

// ---------------------------------------------------------------------------------------------
// Probes

/**
 * Wall time of the runner's `prepare` (hashing a batch) and `apply` (writing it) calls, by
 * wrapping the shared handler object for the duration of the run. The runner prepares one batch
 * at a time, so the prepare total is the time during which hashes were being computed at all.
 */
export function probeHandler(handler: JobHandler<string[]>): {
  prepareMs: number;
  applyMs: number;
  batches: number;
  restore(): void;
} {
  const { prepare, apply } = handler;
  const probe = {
    prepareMs: 0,
    applyMs: 0,
    batches: 0,
    restore() {
      handler.prepare = prepare;
      handler.apply = apply;
    },
  };
  handler.prepare = async (...args) => {
    const start = performance.now();
    try {
      return await prepare(...args);
    } finally {
      probe.prepareMs += performance.now() - start;
      probe.batches++;
    }
  };
  handler.apply = async (...args) => {
    const start = performance.now();
    try {
      return await apply(...args);
    } finally {
      probe.applyMs += performance.now() - start;
    }
  };
  return probe;
}

/**
 * Where the cores went during a job of `hashes` hashes: the hashes ran, waited for a core (taken
 * by this process's main thread or by other processes), or were not in flight at all. None
 * without /proc.
 */
export function cpuRows(cpu: CpuBreakdown, hashes: number, singleCpuMs: number): Row[] {
  if (!cpu.workers || !cpu.mainThread || cpu.otherProcesses === undefined) return [];
  return [
    {
      benchmark: `  hash threads on a core (of ${HASH_CONCURRENCY} lanes)`,
      result: cpu.workers.run,
      unit: 'cores',
    },
    {
      benchmark: '  hash threads runnable, waiting for a core',
      result: cpu.workers.wait,
      unit: 'cores',
    },
    { benchmark: '  main thread on a core', result: cpu.mainThread.run, unit: 'cores' },
    {
      benchmark: '  main thread runnable, waiting for a core',
      result: cpu.mainThread.wait,
      unit: 'cores',
    },
    { benchmark: '  other processes on the machine', result: cpu.otherProcesses, unit: 'cores' },
    {
      benchmark: '  CPU time per hash in the job(s)',
      result: cpu.workers.runMs / hashes,
      unit: 'ms',
    },
    { benchmark: '  CPU time per hash alone', result: singleCpuMs, unit: 'ms' },
    {
      // On a shared machine the limit above counts cores other processes held; this one
      // counts only what they left, so it tells the job's own losses from theirs.
      benchmark: '  ratio to the cores other processes left ((cores − other) ÷ CPU per hash alone)',
      result:
        hashes /
        (cpu.wallMs / 1000) /
        (Math.max(CORES - cpu.otherProcesses, 0) / (singleCpuMs / 1000)),
      unit: '×',
    },
  ];
}

export interface Hashing {
  /** Wall time of one hash, one at a time. */
  singleMs: number;
  /** CPU time of one hash (undefined without /proc): wall time minus any time preempted. */
  singleCpuMs?: number;
  parallelPerSecond: number;
  /** Other processes' CPU while measuring, in cores. */
  otherProcesses?: number;
}

/**
 * The hashing limit of this machine, measured now: one hash at a time, then PARALLEL_HASHES over
 * the job runner's hashing threads (HASH_CONCURRENCY) with nothing else running.
 */
export async function measureHashing(): Promise<Hashing> {
  for (let i = 0; i < 3; i++) await hashPassword(`warm-up-${i}`);
  const singleBefore = cpuSnapshot();
  for (let i = 0; i < SINGLE_HASH_SAMPLES; i++) await hashPassword(`bench-password-${i}`);
  const single = cpuBetween(singleBefore, cpuSnapshot());
  const passwords = Array.from({ length: PARALLEL_HASHES }, (_, i) => `bench-parallel-${i}`);
  const parallelBefore = cpuSnapshot();
  const pool = sharedHashPool(HASH_CONCURRENCY);
  await Promise.all(passwords.map((p) => pool.hash(p)));
  const parallel = cpuBetween(parallelBefore, cpuSnapshot());
  return {
    singleMs: single.wallMs / SINGLE_HASH_SAMPLES,
    ...(single.workers ? { singleCpuMs: single.workers.runMs / SINGLE_HASH_SAMPLES } : {}),
    parallelPerSecond: PARALLEL_HASHES / (parallel.wallMs / 1000),
    ...(single.otherProcesses !== undefined && parallel.otherProcesses !== undefined
      ? {
          otherProcesses:
            (single.otherProcesses * single.wallMs + parallel.otherProcesses * parallel.wallMs) /
            (single.wallMs + parallel.wallMs),
        }
      : {}),
  };
}

export const mean = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? undefined : (a + b) / 2;

// ---------------------------------------------------------------------------------------------

/**
 * 10,000 mailboxes created by import jobs (CSV uploads of 2,500 rows through the real HTTP
 * server, carried out by the in-process JobRunner as src/server.ts runs it), on the given
 * database: mailboxes/s against the hashing limit measured in the same run, and the latency of
 * `GET /v1/domains` while the jobs run.
 */
export function bulkJobs(dialect: Dialect): Suite {
  return {
    name: `bulk-jobs (${dialect})`,
    async run(): Promise<Row[]> {
      const names = hostnames(Math.ceil(MAILBOXES / MAX_MAILBOXES_PER_HOSTNAME));
      const roots = names.filter((n) => n.split('.').length === 2);
      const everyone = people(names, MAX_MAILBOXES_PER_HOSTNAME, seededRandom(7)).slice(
        0,
        MAILBOXES,
      );
      const files: string[] = [];
      for (let i = 0; i < everyone.length; i += ROWS_PER_JOB)
        files.push(csv(everyone.slice(i, i + ROWS_PER_JOB)));

      const { ctx, drop } = await freshContext(dialect);
      try {
        const server = await startServer(ctx);
        const runnerErrors: string[] = [];
        const runner = new JobRunner(ctx, {
          log: (message, error) =>
            runnerErrors.push(
              `${message}: ${error instanceof Error ? error.message : String(error)}`,
            ),
        });
        // As src/server.ts wires it.
        ctx.onJobQueued = () => runner.wake();
        runner.start();
        try {
          // Limits raised as an operator would for a customer moving a large batch.
          await setAccountLimits(ctx, {
            account: 'bench',
            changes: {
              maxDomains: Math.max(50, roots.length + 1),
              maxBulkCount: 10_000,
              cooldownThreshold: 10_000,
            },
            actor: 'bench',
          });
          log(
            `setting up ${names.length} verified hostnames (${roots.length} roots + sub-domains)…`,
          );
          for (const root of roots) {
            await server.verifiedDomain(root);
            const labels = names
              .filter((n) => n.endsWith(`.${root}`))
              .map((n) => n.slice(0, -root.length - 1));
            if (labels.length === 0) continue;
            const { created, rejected } = await addSubdomains(ctx, server.actor, root, { labels });
            if (rejected.length > 0)
              throw new Error(`sub-domains of ${root} refused: ${JSON.stringify(rejected)}`);
            // A sub-domain's pool starts at 10 GB; make room for 100 default-quota mailboxes.
            for (const sub of created) {
              await updateDomain(ctx, server.actor, sub.name, {
                quotaMb: MAX_MAILBOXES_PER_HOSTNAME * DEFAULT_QUOTA_MB,
              });
            }
          }

          // Not counted: JIT and first-use costs of the import, the runner and the listing.
          await server.verifiedDomain('warmup.example');
          const warmup = people(['warmup.example'], WARMUP_ROWS, seededRandom(1));
          await waitForJobs(server, [await submitImport(server, csv(warmup))]);
          for (let i = 0; i < 20; i++)
            expectStatus(
              await server.request('GET', '/v1/domains?limit=100'),
              200,
              'GET /v1/domains',
            );

          const hashingBefore = await measureHashing();

          collectGarbage();
          const probe = probeHandler(createMailboxesHandler);
          let polling = true;
          const domainLatency: number[] = [];
          /** Start and end of each poll, to tell slow polls during the uploads from the rest. */
          const domainSpans: { start: number; end: number }[] = [];
          const poller = (async () => {
            while (polling) {
              const start = performance.now();
              const res = await server.request('GET', '/v1/domains?limit=100');
              const end = performance.now();
              domainLatency.push(end - start);
              domainSpans.push({ start, end });
              expectStatus(res, 200, 'GET /v1/domains');
              await sleep(DOMAINS_POLL_GAP_MS);
            }
          })();

          log(
            `importing ${MAILBOXES.toLocaleString('en-US')} mailboxes as ${files.length} job(s) of ≤${ROWS_PER_JOB} rows…`,
          );
          let jobs: JobJson[];
          let submitMs: number;
          let uploadStart: number;
          let startedAt: number;
          let loopBusy: number;
          let cpu: CpuBreakdown;
          try {
            const loopBefore = performance.eventLoopUtilization();
            const cpuBefore = cpuSnapshot();
            startedAt = Date.now();
            const ids: string[] = [];
            for (const file of files) ids.push(await submitImport(server, file));
            uploadStart = cpuBefore.at;
            submitMs = performance.now() - uploadStart;
            jobs = await waitForJobs(server, ids);
            cpu = cpuBetween(cpuBefore, cpuSnapshot());
            loopBusy = performance.eventLoopUtilization(loopBefore).utilization;
          } finally {
            polling = false;
            await poller.catch(() => undefined);
            probe.restore();
          }
          await poller;

          const done = jobs.reduce((sum, j) => sum + j.done, 0);
          const failed = jobs.flatMap((j) => j.errors);
          if (done !== MAILBOXES || failed.length > 0) {
            throw new Error(
              `jobs created ${done} of ${MAILBOXES}; errors: ${JSON.stringify(failed.slice(0, 5))}; runner: ${runnerErrors.join('; ')}`,
            );
          }
          const wallMs = Math.max(...jobs.map((j) => Date.parse(j.finishedAt!))) - startedAt;

          // Measured again after the jobs and averaged, so a burst of load from elsewhere on a
          // shared machine during one of the two measurements moves the limit less.
          const hashingAfter = await measureHashing();
          const singleMs = (hashingBefore.singleMs + hashingAfter.singleMs) / 2;
          const singleCpuMs = mean(hashingBefore.singleCpuMs, hashingAfter.singleCpuMs);
          const parallelPerSecond =
            (hashingBefore.parallelPerSecond + hashingAfter.parallelPerSecond) / 2;
          const limitPerSecond = CORES / (singleMs / 1000);
          const perSecond = MAILBOXES / (wallMs / 1000);
          const ratio = perSecond / limitPerSecond;
          log(
            `single hash ${hashingBefore.singleMs.toFixed(2)} ms before, ${hashingAfter.singleMs.toFixed(2)} ms after → ` +
              `limit ${limitPerSecond.toFixed(0)}/s; ${HASH_CONCURRENCY} lanes ${hashingBefore.parallelPerSecond.toFixed(0)}/s before, ` +
              `${hashingAfter.parallelPerSecond.toFixed(0)}/s after (other processes: ` +
              `${hashingBefore.otherProcesses?.toFixed(2) ?? '?'}, ${hashingAfter.otherProcesses?.toFixed(2) ?? '?'} cores)`,
          );
          log(
            `${(wallMs / 1000).toFixed(1)} s → ${perSecond.toFixed(1)} mailboxes/s = ${ratio.toFixed(3)} of the limit; ` +
              `prepare ${(probe.prepareMs / 1000).toFixed(1)} s, apply ${(probe.applyMs / 1000).toFixed(1)} s over ${probe.batches} batches`,
          );

          const slow = domainSpans.filter((d) => d.end - d.start >= DOMAINS_P99_TARGET_MS);
          const uploadEnd = uploadStart + submitMs;
          log(
            `GET /v1/domains ≥ ${DOMAINS_P99_TARGET_MS} ms: ${slow.length} of ${domainSpans.length}, ` +
              `${slow.filter((d) => d.start < uploadEnd && d.end > uploadStart).length} of them overlapping the uploads`,
          );

          const scale = `${MAILBOXES.toLocaleString('en-US')} by ${files.length} import job(s) of ≤${ROWS_PER_JOB.toLocaleString('en-US')} on ${names.length} hostnames`;
          const wallRow: Row = {
            benchmark: '  wall time, first upload to last job finished',
            result: wallMs / 1000,
            unit: 's',
          };
          // The issue's 105 s is for the full 10,000; a shrunk run has no wall-time target.
          if (MAILBOXES === 10_000) wallRow.target = { op: '<', value: WALL_TARGET_S };
          const domainsRow = (p: number): Row => ({
            benchmark: `  GET /v1/domains?limit=100 while the jobs run ×${domainLatency.length}, ${p === 100 ? 'max' : `p${p}`}`,
            result: percentile(domainLatency, p),
            unit: 'ms',
          });
          const rows: Row[] = [
            { benchmark: `bulk: ${scale}, ${dialect}`, result: perSecond, unit: 'mailboxes/s' },
            {
              benchmark: '  ratio to hashing limit (cores ÷ single-hash time)',
              result: ratio,
              unit: '×',
              target: { op: '>', value: RATIO_TARGET },
            },
            wallRow,
            domainsRow(50),
            { ...domainsRow(99), target: { op: '<', value: DOMAINS_P99_TARGET_MS } },
            // Context: the few requests that coincide with planning an uploaded file.
            domainsRow(100),
            {
              benchmark: `  single Argon2id hash, one at a time (mean of ${SINGLE_HASH_SAMPLES} before + ${SINGLE_HASH_SAMPLES} after)`,
              result: singleMs,
              unit: 'ms',
            },
            {
              benchmark: `  hashing limit: ${CORES} cores ÷ single-hash time`,
              result: limitPerSecond,
              unit: 'hashes/s',
            },
            {
              benchmark: `  measured parallel limit (${PARALLEL_HASHES} hashes over ${HASH_CONCURRENCY} lanes, before + after)`,
              result: parallelPerSecond,
              unit: 'hashes/s',
            },
            {
              benchmark: '  ratio to measured parallel limit',
              result: perSecond / parallelPerSecond,
              unit: '×',
            },
            {
              benchmark: '  share of wall time the runner was hashing (in prepare)',
              result: (probe.prepareMs / wallMs) * 100,
              unit: '%',
            },
            {
              benchmark: `  time writing batches (in apply, ${probe.batches} batches)`,
              result: probe.applyMs / 1000,
              unit: 's',
            },
            {
              benchmark: `  time to upload the ${files.length} file(s) (until the last 202)`,
              result: submitMs / 1000,
              unit: 's',
            },
            {
              benchmark: '  event loop busy during the run (server + client)',
              result: loopBusy * 100,
              unit: '%',
            },
          ];
          if (singleCpuMs !== undefined) rows.push(...cpuRows(cpu, MAILBOXES, singleCpuMs));
          return rows;
        } finally {
          await runner.stop();
          await server.close();
        }
      } finally {
        await drop();
      }
    },
  };
}
