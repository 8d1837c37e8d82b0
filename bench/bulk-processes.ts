import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_QUOTA_MB } from '../src/core/quota.js';
import { createAccount } from '../src/services/accounts/create-account.js';
import { setAccountLimits } from '../src/services/accounts/set-account-limits.js';
import { createApiToken } from '../src/services/auth/create-api-token.js';
import { addDomain } from '../src/services/domains/add-domain.js';
import { verifyDomain } from '../src/services/domains/verify-domain.js';
import { kill9, startServerProcess, type ServerProcess } from '../test/support/server-process.js';
import {
  freshContext,
  fromEnv,
  log,
  MAX_MAILBOXES_PER_HOSTNAME,
  people,
  seededRandom,
  type Row,
  type Suite,
} from './support.js';

/** MAILWRIGHT_BENCH_PROCESSES_COUNT: mailboxes per configuration (default 1,200). */
const MAILBOXES = fromEnv('MAILWRIGHT_BENCH_PROCESSES_COUNT', 1_200);
/** Two import jobs per process, so every process has work of its own and can take others'. */
const JOBS_PER_PROCESS = 2;
const RATIO_TARGET = 0.9;
const POLL_GAP_MS = 200;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Total bulk throughput of 1, 2 and 3 real server processes (as `npm start` runs them, each with
 * its job runner and its default hashing lanes) on one PostgreSQL, the supported way to outgrow
 * one machine: import jobs are sent to every process and any process may carry out any job. On
 * one machine the cores bound them all, so more processes cannot go faster, but they must not go
 * slower (claims, leases and the account lock are the cost). The one-process run is measured
 * before and after the others and averaged, as the ceiling.
 */
export const bulkProcesses: Suite = {
  name: 'bulk-processes (postgres)',
  async run(): Promise<Row[]> {
    const single = await throughput(1);
    const two = await throughput(2);
    const three = await throughput(3);
    const singleAgain = await throughput(1);
    const ceiling = (single + singleAgain) / 2;
    log(
      `1 process ${single.toFixed(1)} and ${singleAgain.toFixed(1)}/s, 2: ${two.toFixed(1)}/s, 3: ${three.toFixed(1)}/s`,
    );
    const scale = `${MAILBOXES.toLocaleString('en-US')} mailboxes by import jobs`;
    return [
      {
        benchmark: `bulk over 1 process: ${scale}, postgres`,
        result: ceiling,
        unit: 'mailboxes/s',
      },
      ...[
        [2, two],
        [3, three],
      ].flatMap(([n, perSecond]) => [
        { benchmark: `bulk over ${n} processes`, result: perSecond!, unit: 'mailboxes/s' },
        {
          benchmark: `  ratio to 1 process`,
          result: perSecond! / ceiling,
          unit: '×',
          target: { op: '>' as const, value: RATIO_TARGET },
        },
      ]),
    ];
  },
};

/** Mailboxes/s of `processes` server processes carrying out the imports on a fresh schema. */
async function throughput(processes: number): Promise<number> {
  const { ctx, databaseUrl, secretKey, drop } = await freshContext('postgres');
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];
  try {
    const hostnames = Array.from(
      { length: Math.ceil(MAILBOXES / MAX_MAILBOXES_PER_HOSTNAME) },
      (_, i) => `p${processes}h${i}.example`,
    );
    const account = await createAccount(ctx, { name: 'bench', actor: 'bench' });
    const actor = { accountId: account.id, name: 'bench' };
    await setAccountLimits(ctx, {
      account: 'bench',
      changes: {
        maxDomains: hostnames.length + 1,
        maxMailboxesPerDomain: MAX_MAILBOXES_PER_HOSTNAME,
        maxMailboxesPerHour: 1_000_000,
        maxBulkCount: 10_000,
        cooldownThreshold: 10_000,
      },
      actor: 'bench',
    });
    for (const name of hostnames) {
      await addDomain(ctx, actor, {
        name,
        mailboxLimit: MAX_MAILBOXES_PER_HOSTNAME,
        quotaMb: MAX_MAILBOXES_PER_HOSTNAME * DEFAULT_QUOTA_MB,
      });
      await verifyDomain(ctx, actor, name, { manual: true });
    }
    const { token } = await createApiToken(ctx, { account: 'bench', actor: 'bench' });

    for (let i = 0; i < processes; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'mailwright-bench-process-'));
      dataDirs.push(dataDir);
      servers.push(
        await startServerProcess({
          MAILWRIGHT_DATABASE_URL: databaseUrl,
          MAILWRIGHT_DATA_DIR: dataDir,
          MAILWRIGHT_SECRET_KEY: secretKey,
        }),
      );
    }
    const request = async (server: ServerProcess, method: string, path: string, csv?: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(csv === undefined ? {} : { 'content-type': 'text/csv' }),
        },
        ...(csv === undefined ? {} : { body: csv }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as {
        job?: { id: string };
        finishedAt?: string | null;
        done?: number;
      };
    };

    const everyone = people(hostnames, MAX_MAILBOXES_PER_HOSTNAME, seededRandom(processes)).slice(
      0,
      MAILBOXES,
    );
    const jobs = processes * JOBS_PER_PROCESS;
    const files = Array.from({ length: jobs }, (_, j) =>
      everyone.filter((_, i) => i % jobs === j),
    ).map(
      (rows) =>
        ['name,local_part,domain', ...rows.map((p) => `${p.name},${p.localPart},${p.domain}`)].join(
          '\n',
        ) + '\n',
    );

    const started = Date.now();
    const ids = await Promise.all(
      files.map(
        async (csv, j) =>
          (await request(servers[j % processes]!, 'POST', '/v1/mailboxes/import', csv)).job!.id,
      ),
    );
    let finishedAt = 0;
    let done = 0;
    for (const [j, id] of ids.entries()) {
      for (;;) {
        const job = await request(servers[j % processes]!, 'GET', `/v1/jobs/${id}`);
        if (job.finishedAt) {
          finishedAt = Math.max(finishedAt, Date.parse(job.finishedAt));
          done += job.done ?? 0;
          break;
        }
        await sleep(POLL_GAP_MS);
      }
    }
    if (done !== MAILBOXES)
      throw new Error(`${processes} process(es) created ${done} of ${MAILBOXES}`);
    return MAILBOXES / ((finishedAt - started) / 1000);
  } finally {
    for (const server of servers) await kill9(server.proc);
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await drop();
  }
}
