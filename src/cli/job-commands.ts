import { existsSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { parse } from 'csv-parse/sync';
import {
  CREDENTIALS_FORMATS,
  DEFAULT_CREDENTIALS_FORMAT,
  type CredentialsFormat,
} from '../core/credentials-formats.js';
import { CREDENTIALS_RETRY_TEXT, CREDENTIALS_TTL_TEXT } from '../core/credentials-retention.js';
import { DEFAULT_PAGE_LIMIT } from '../core/page-limit.js';
import { cancelJob } from '../services/jobs/cancel-job.js';
import type { Actor } from '../services/context.js';
import { downloadCredentials } from '../services/jobs/download-credentials.js';
import { getJob } from '../services/jobs/get-job.js';
import { listJobs } from '../services/jobs/list-jobs.js';
import { JobRunner } from '../services/jobs/job-runner.js';
import type { Job } from '../services/jobs/support/job-view.js';
import { numberArg, usageError } from './args.js';
import { messageOf } from './errors.js';
import { table } from './format.js';
import type { CliIo } from './io.js';
import { progressBar, type ProgressRenderer } from './progress.js';
import { withSession, type Session } from './session.js';

type JobStatus = Job['status'];

const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** How often the CLI looks at a job it is running or waiting for. */
const POLL_MS = 200;

export function registerJobCommands(program: Command, io: CliIo): void {
  const jobs = program
    .command('jobs')
    .description('background jobs: bulk creation, imports and bulk deletes');

  jobs
    .command('list')
    .description('list jobs, newest first')
    .addOption(new Option('--status <status>', 'only jobs in this state').choices(JOB_STATUSES))
    .option('--cursor <cursor>', 'continue after the previous page (its next cursor)')
    .option('--limit <n>', `jobs per page (default ${DEFAULT_PAGE_LIMIT})`, numberArg)
    .action((opts: { status?: JobStatus; cursor?: string; limit?: number }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const page = await listJobs(s.ctx, await s.actor(), opts);
        if (s.json) return s.printJson(page);
        if (page.items.length === 0 && !opts.cursor) {
          s.out(opts.status ? `No ${opts.status} jobs.` : 'No jobs yet.');
          return;
        }
        s.out(
          table(
            ['ID', 'KIND', 'STATUS', 'PROGRESS', 'CREATED'],
            page.items.map((j) => [j.id, j.kind, j.status, progressText(j), j.createdAt]),
          ),
        );
        if (page.nextCursor) s.out(`\nMore: mailwright jobs list --cursor ${page.nextCursor}`);
      }),
    );

  jobs
    .command('show')
    .description('show a job’s progress and the items that failed')
    .argument('<id>')
    .action((id: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const job = await getJob(s.ctx, await s.actor(), id.trim());
        if (s.json) return s.printJson(job);
        s.out(jobDetails(job));
      }),
    );

  jobs
    .command('cancel')
    .description(
      'cancel a job that has not finished: what it has not done yet is never done (a running ' +
        'job stops after its current batch); what it did stays, with its credentials',
    )
    .argument('<id>')
    .action((id: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const job = await cancelJob(s.ctx, await s.actor(), id.trim());
        if (s.json) return s.printJson(job);
        s.out(`✔ Cancelled job ${job.id}: ${progressText(job)}, the rest not carried out.`);
        if (job.credentials === 'available') s.out(downloadHint(job.id));
      }),
    );

  jobs
    .command('credentials')
    .description('download a finished job’s generated credentials as CSV, once (then erased)')
    .argument('<id>')
    .option('--out <file>', 'write the CSV to this new file (mode 0600); - prints it instead')
    .addOption(formatOption())
    .action((id: string, opts: { out?: string; format: CredentialsFormat }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        if (opts.out === undefined) {
          usageError(
            cmd,
            `give --out FILE (a new file, written with mode 0600) or --out - to print the CSV: the credentials can be downloaded only once.`,
          );
        }
        if (opts.out !== '-') refuseExisting(cmd, opts.out, id);
        const actor = await s.actor();
        const saved = await saveCredentials(s, cmd, actor, id.trim(), opts.out, opts.format);
        if (opts.out === '-') return;
        if (s.json) return s.printJson({ job: id.trim(), file: saved.file, rows: saved.rows });
        s.out(savedText(saved));
      }),
    );
}

const VERBS: Partial<Record<Job['kind'], string>> = {
  bulk_delete_domains: 'deleted',
  bulk_delete_mailboxes: 'deleted',
  bulk_set_sending: 'updated',
  bulk_set_forwarding: 'updated',
  verify_domains: 'verified',
  publish_dns: 'published',
  export_mailboxes: 'changed',
};
/** What a job's done items were: `3/5 verified`. */
export const verb = (j: Pick<Job, 'kind'>): string => VERBS[j.kind] ?? 'created';

/** `3/5 created, 0 failed` */
export const progressText = (j: Job): string =>
  `${j.done}/${j.total} ${verb(j)}, ${j.failed} failed`;

export function jobDetails(j: Job): string {
  const bar = progressBar(j, verb(j));
  const rows: string[][] = [
    ['Kind:', j.kind],
    ['Status:', j.status],
    ['Progress:', bar],
    ['Credentials:', j.credentials],
  ];
  if (j.nextRunAt) rows.push(['Next wave:', j.nextRunAt]);
  rows.push(['Created:', j.createdAt], ['Finished:', j.finishedAt ?? '-']);
  let text = table(['Job:', j.id], rows);
  if (j.errors.length > 0) {
    text += `\nErrors (${j.errors.length}):\n`;
    text += j.errors.map((e) => `  ✘ ${e.address}: ${e.message} (${e.code})\n`).join('');
  }
  return text;
}

/**
 * Carries out the job in this process (a server running at the same time may hold its lease;
 * then this waits for it), reporting progress, until the job has finished or, for a staged
 * job, its next wave is scheduled for later. Other claimable jobs may be carried out too.
 */
export async function runJobHere(
  s: Session,
  actor: Actor,
  jobId: string,
  progress: ProgressRenderer,
): Promise<Job> {
  const runner = new JobRunner(s.ctx, {
    log: (message, error) =>
      s.io.stderr(`\nwarning: ${message}: ${messageOf(error)} (retried when its lease expires)\n`),
  });
  let job = await getJob(s.ctx, actor, jobId);
  progress.update(job);
  for (;;) {
    let working = true;
    const work = runner.runPending().finally(() => {
      working = false;
    });
    while (working) {
      await Promise.race([work, sleep(POLL_MS)]);
      job = await getJob(s.ctx, actor, jobId);
      progress.update(job);
    }
    await work;
    job = await getJob(s.ctx, actor, jobId);
    progress.update(job);
    if (job.finishedAt !== null || laterWave(job)) return job;
    // Held by another runner (a server), or a staged wave about to become due: wait and look again.
    await sleep(POLL_MS);
  }
}

/** A staged job resting until its next wave. */
export const laterWave = (job: Job): boolean =>
  job.finishedAt === null && job.nextRunAt !== null && Date.parse(job.nextRunAt) > Date.now();

/** Credentials are written once and never over another file. */
export function refuseExisting(cmd: Command, file: string, jobId?: string): void {
  if (!existsSync(file)) return;
  const later = jobId
    ? ` (the credentials are still there: \`mailwright jobs credentials ${jobId} --out NEW-FILE\`)`
    : '';
  usageError(
    cmd,
    `${file} already exists and is never overwritten: give --out a new file name, or move the old file away${later}.`,
  );
}

/** `--format`: the columns of the credentials CSV, for the sending tool it is imported into. */
export const formatOption = (): Option =>
  new Option('--format <format>', 'columns of the CSV: Mailwright’s own or a sending tool’s import')
    .choices(CREDENTIALS_FORMATS)
    .default(DEFAULT_CREDENTIALS_FORMAT);

export interface SavedCredentials {
  file: string;
  rows: number;
}

/**
 * Downloads the credentials once and writes them to a new file with mode 0600 (or prints them
 * for `-`). The file is created before the download, so credentials are never erased on the
 * server without a place to put them.
 */
export async function saveCredentials(
  s: Session,
  cmd: Command,
  actor: Actor,
  jobId: string,
  file: string,
  format: CredentialsFormat,
): Promise<SavedCredentials> {
  if (file === '-') {
    const csv = await downloadCredentials(s.ctx, actor, jobId, { format });
    s.io.stdout(csv);
    return { file, rows: csvRows(csv) };
  }
  let handle;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting(cmd, file, jobId);
    throw error;
  }
  try {
    // Whatever the umask: the file holds passwords.
    await handle.chmod(0o600);
    const csv = await downloadCredentials(s.ctx, actor, jobId, { format });
    await handle.writeFile(csv, 'utf8');
    await handle.close();
    return { file, rows: csvRows(csv) };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw error;
  }
}

export const savedText = (saved: SavedCredentials): string =>
  `✔ Wrote ${saved.rows} credential${saved.rows === 1 ? '' : 's'} to ${saved.file} (mode 0600). ` +
  `Mailwright erases them in ${CREDENTIALS_RETRY_TEXT}: this file is then the only copy.`;

/** How to fetch the credentials later, once. */
export const downloadHint = (jobId: string): string =>
  `Credentials: download them once (they are erased ${CREDENTIALS_RETRY_TEXT} after the first download, or ${CREDENTIALS_TTL_TEXT} after the job finished):\n` +
  `  mailwright jobs credentials ${jobId} --out credentials.csv\n` +
  `  or GET /v1/jobs/${jobId}/credentials.csv with an API token.`;

/** Records of the CSV after its header. */
const csvRows = (csv: string): number => Math.max(0, parse(csv).length - 1);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
