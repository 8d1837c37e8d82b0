import { randomUUID } from 'node:crypto';
import { hashPassword } from '../src/core/password-hash.js';
import { setAccountLimits } from '../src/services/accounts/set-account-limits.js';
import { exportMailboxesHandler } from '../src/services/jobs/handlers/export-mailboxes-handler.js';
import { JobRunner } from '../src/services/jobs/job-runner.js';
import type { Dialect } from '../src/store/dialect.js';
import { findDomain } from '../src/store/domains.js';
import type { NewMailboxRow } from '../src/store/schema.js';
import {
  cpuBetween,
  cpuRows,
  cpuSnapshot,
  mean,
  measureHashing,
  probeHandler,
  waitForJobs,
  type JobJson,
} from './bulk-jobs.js';
import {
  collectGarbage,
  COMPANIES,
  CORES,
  expectStatus,
  freshContext,
  fromEnv,
  log,
  people,
  seededRandom,
  startServer,
  type Row,
  type Suite,
} from './support.js';

/** MAILWRIGHT_BENCH_EXPORT_COUNT shrinks the run for a quick check (e.g. 1000). */
const MAILBOXES = fromEnv('MAILWRIGHT_BENCH_EXPORT_COUNT', 10_000);
/** The fleet: 100 domains, the mailboxes spread evenly over them. */
const DOMAINS = 100;
const ROWS_PER_INSERT = 500;
const RATIO_TARGET = 0.8;

const domainNames = (): string[] =>
  Array.from(
    { length: DOMAINS },
    (_, r) =>
      `${COMPANIES[r % COMPANIES.length]}${r < COMPANIES.length ? '' : Math.floor(r / COMPANIES.length)}.example`,
  );

/**
 * Existing mailboxes exported into a sending tool (`POST /v1/mailboxes/export`), on the given
 * database: one job that must hash a new password per mailbox, against the hashing limit
 * measured in the same run (as bulk-jobs measures it). The mailboxes are inserted straight into
 * the store with one precomputed hash, since creating them through the API would hash each once
 * more before the measured part starts. No Dovecot runs, so no auth-cache flush is timed.
 */
export function mailboxExport(dialect: Dialect): Suite {
  return {
    name: `mailbox-export (${dialect})`,
    async run(): Promise<Row[]> {
      const { ctx, drop } = await freshContext(dialect);
      try {
        const server = await startServer(ctx);
        const runner = new JobRunner(ctx);
        // As src/server.ts wires it.
        ctx.onJobQueued = () => runner.wake();
        runner.start();
        try {
          await setAccountLimits(ctx, {
            account: 'bench',
            changes: { maxDomains: DOMAINS + 1 },
            actor: 'bench',
          });
          const names = domainNames();
          const perDomain = Math.ceil(MAILBOXES / DOMAINS);
          log(`setting up ${DOMAINS} verified domains and ${MAILBOXES} existing mailboxes…`);
          const domainIds = new Map<string, string>();
          for (const name of names) {
            await server.verifiedDomain(name, perDomain);
            domainIds.set(name, (await findDomain(ctx.store.db, server.actor.accountId, name))!.id);
          }
          const passwordHash = await hashPassword('bench-password');
          const now = new Date().toISOString();
          const everyone = people(names, perDomain, seededRandom(11)).slice(0, MAILBOXES);
          await ctx.store.db.transaction().execute(async (trx) => {
            for (let i = 0; i < everyone.length; i += ROWS_PER_INSERT) {
              const rows: NewMailboxRow[] = everyone.slice(i, i + ROWS_PER_INSERT).map((p) => ({
                id: randomUUID(),
                account_id: server.actor.accountId,
                domain_id: domainIds.get(p.domain)!,
                local_part: p.localPart,
                address: `${p.localPart}@${p.domain}`,
                name: p.name,
                password_hash: passwordHash,
                quota_mb: 1024,
                active: 1,
                created_at: now,
                updated_at: now,
              }));
              await trx.insertInto('mailboxes').values(rows).execute();
            }
          });

          const hashingBefore = await measureHashing();
          collectGarbage();
          log(`exporting ${MAILBOXES.toLocaleString('en-US')} mailboxes as one job…`);
          const probe = probeHandler(exportMailboxesHandler);
          const cpuBefore = cpuSnapshot();
          const startedAt = Date.now();
          let acceptMs: number;
          let job: JobJson | undefined;
          try {
            const res = await server.request('POST', '/v1/mailboxes/export', { all: true });
            expectStatus(res, 202, 'POST /v1/mailboxes/export');
            acceptMs = Date.now() - startedAt;
            const { id } = (JSON.parse(res.text) as { job: JobJson }).job;
            [job] = await waitForJobs(server, [id]);
          } finally {
            probe.restore();
          }
          const cpu = cpuBetween(cpuBefore, cpuSnapshot());
          const { id } = job!;
          if (job!.done !== MAILBOXES || job!.errors.length > 0) {
            throw new Error(
              `export changed ${job!.done} of ${MAILBOXES}; errors: ${JSON.stringify(job!.errors.slice(0, 5))}`,
            );
          }
          const wallMs = Date.parse(job!.finishedAt!) - startedAt;
          const csv = await server.request(
            'GET',
            `/v1/jobs/${id}/credentials.csv?format=instantly`,
          );
          expectStatus(csv, 200, 'GET credentials.csv');
          const lines = csv.text.trim().split('\n').length - 1;
          if (lines !== MAILBOXES) throw new Error(`the download held ${lines} rows`);

          // Averaged with a second measurement after the job, as bulk-jobs does.
          const hashingAfter = await measureHashing();
          const singleMs = (hashingBefore.singleMs + hashingAfter.singleMs) / 2;
          const singleCpuMs = mean(hashingBefore.singleCpuMs, hashingAfter.singleCpuMs);
          const limitPerSecond = CORES / (singleMs / 1000);
          const parallelPerSecond =
            (hashingBefore.parallelPerSecond + hashingAfter.parallelPerSecond) / 2;
          const perSecond = MAILBOXES / (wallMs / 1000);
          log(
            `${(wallMs / 1000).toFixed(1)} s → ${perSecond.toFixed(1)} mailboxes/s; limit ${limitPerSecond.toFixed(0)}/s ` +
              `(single hash ${singleMs.toFixed(2)} ms) = ${(perSecond / limitPerSecond).toFixed(3)}; ` +
              `prepare ${(probe.prepareMs / 1000).toFixed(1)} s, apply ${(probe.applyMs / 1000).toFixed(1)} s over ${probe.batches} batches`,
          );
          const rows: Row[] = [
            {
              benchmark: `export: ${MAILBOXES.toLocaleString('en-US')} existing mailboxes on ${DOMAINS} domains, one job, ${dialect}`,
              result: perSecond,
              unit: 'mailboxes/s',
            },
            {
              benchmark: '  ratio to hashing limit (cores ÷ single-hash time)',
              result: perSecond / limitPerSecond,
              unit: '×',
              target: { op: '>', value: RATIO_TARGET },
            },
            { benchmark: '  wall time, request to job finished', result: wallMs / 1000, unit: 's' },
            {
              benchmark: `  hashing limit: ${CORES} cores ÷ single-hash time (before + after)`,
              result: limitPerSecond,
              unit: 'hashes/s',
            },
            {
              benchmark: '  measured parallel limit (before + after)',
              result: parallelPerSecond,
              unit: 'hashes/s',
            },
            {
              benchmark: '  ratio to measured parallel limit',
              result: perSecond / parallelPerSecond,
              unit: '×',
            },
            {
              benchmark: `  accepting the request (select, ${MAILBOXES.toLocaleString('en-US')} sealed passwords planned, until the 202)`,
              result: acceptMs / 1000,
              unit: 's',
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
