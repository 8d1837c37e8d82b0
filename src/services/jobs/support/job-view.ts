import type { Kysely } from 'kysely';
import { failedItems } from '../../../store/jobs.js';
import type { Database, JobKind, JobRow, JobStatus } from '../../../store/schema.js';

/** The API's Job representation: progress a client can poll. */
export interface Job {
  id: string;
  kind: JobKind;
  status: JobStatus;
  total: number;
  done: number;
  failed: number;
  errors: { address: string; code: string; message: string }[];
  /** `available` until the CSV is downloaded once (`downloaded`) or erased after 24 h (`expired`). */
  credentials: JobRow['credentials'];
  /** For staged jobs: when the next wave may start. */
  nextRunAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export async function toJob(db: Kysely<Database>, row: JobRow): Promise<Job> {
  const [job] = await toJobs(db, [row]);
  return job!;
}

/** A page of jobs with their errors, read in one query rather than one per failed job. */
export async function toJobs(db: Kysely<Database>, rows: JobRow[]): Promise<Job[]> {
  const failed = await failedItems(
    db,
    rows.filter((r) => r.failed > 0).map((r) => r.id),
  );
  const byJob = new Map<string, typeof failed>();
  for (const item of failed) {
    const list = byJob.get(item.job_id);
    if (list) list.push(item);
    else byJob.set(item.job_id, [item]);
  }
  return rows.map((row) => view(row, byJob.get(row.id) ?? []));
}

function view(
  row: JobRow,
  errors: { target: string; error_code: string | null; error_message: string | null }[],
): Job {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    errors: errors.map((e) => ({
      address: e.target,
      code: e.error_code ?? 'failed',
      message: e.error_message ?? '',
    })),
    credentials: row.credentials,
    nextRunAt: row.status === 'running' ? row.next_run_at : null,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
