import type { Kysely } from 'kysely';
import { failedItems } from '../store/jobs.js';
import type { Database, JobKind, JobRow, JobStatus } from '../store/schema.js';

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
  const errors = row.failed > 0 ? await failedItems(db, row.id) : [];
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
