import { sql, type Kysely } from 'kysely';
import { decodeCursor, toPage, type Page } from './cursor.js';
import { inChunks, insertChunks } from './insert-chunks.js';
import { POLICY_COLUMNS, type PolicyRow } from './send-counts.js';
import type {
  Database,
  JobItemRow,
  JobRow,
  JobStatus,
  NewJobItemRow,
  NewJobRow,
} from './schema.js';

export async function insertJob(
  db: Kysely<Database>,
  job: NewJobRow,
  items: NewJobItemRow[],
): Promise<void> {
  await db.insertInto('jobs').values(job).execute();
  for (const chunk of insertChunks(items)) {
    await db.insertInto('job_items').values(chunk).execute();
  }
}

export function findJob(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<JobRow | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findJobByIdempotencyKey(
  db: Kysely<Database>,
  accountId: string,
  key: string,
): Promise<JobRow | undefined> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** Frees a key whose 24-hour window has passed, so it can name a new request. */
export async function releaseIdempotencyKey(db: Kysely<Database>, jobId: string): Promise<void> {
  await db.updateTable('jobs').set({ idempotency_key: null }).where('id', '=', jobId).execute();
}

/** Newest first; the cursor is `created_at|id` of the last job returned. */
export async function listJobs(
  db: Kysely<Database>,
  accountId: string,
  opts: { status?: JobStatus; cursor?: string; limit: number; actor?: string },
): Promise<Page<JobRow>> {
  const after = decodeCursor(opts.cursor, (key) => key.includes('|'));
  let query = db.selectFrom('jobs').selectAll().where('account_id', '=', accountId);
  if (opts.actor !== undefined) query = query.where('actor', '=', opts.actor);
  if (opts.status) query = query.where('status', '=', opts.status);
  if (after !== undefined) {
    const [createdAt = '', id = ''] = after.split('|');
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  return toPage(rows, opts.limit, (r) => `${r.created_at}|${r.id}`);
}

/** The failed items of several jobs in one query (a page of jobs), in each job's order. */
export async function failedItems(
  db: Kysely<Database>,
  jobIds: string[],
): Promise<Pick<JobItemRow, 'job_id' | 'target' | 'error_code' | 'error_message'>[]> {
  const items: Pick<JobItemRow, 'job_id' | 'target' | 'error_code' | 'error_message'>[] = [];
  for (const chunk of inChunks(jobIds)) {
    const rows = await db
      .selectFrom('job_items')
      .select(['job_id', 'target', 'error_code', 'error_message'])
      .where('job_id', 'in', chunk)
      .where('status', '=', 'failed')
      .orderBy('job_id')
      .orderBy('seq')
      .execute();
    items.push(...rows);
  }
  return items;
}

/**
 * Claims the oldest runnable job whose lease is free or expired (its worker died), for
 * `leaseSeconds`. The conditional UPDATE is the arbiter when several workers race.
 */
export async function claimJob(
  db: Kysely<Database>,
  worker: string,
  now: Date,
  leaseSeconds: number,
): Promise<JobRow | undefined> {
  const nowIso = now.toISOString();
  const candidates = await db
    .selectFrom('jobs')
    .select('id')
    .where('status', 'in', ['queued', 'running'])
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .where((eb) => eb.or([eb('next_run_at', 'is', null), eb('next_run_at', '<=', nowIso)]))
    .orderBy('created_at')
    .limit(5)
    .execute();
  for (const { id } of candidates) {
    const leaseUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    const claimed = await db
      .updateTable('jobs')
      .set({
        status: 'running',
        lease_owner: worker,
        lease_until: leaseUntil,
        started_at: sql<string>`coalesce(started_at, ${nowIso})`,
      })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 1) {
      return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    }
  }
  return undefined;
}

/** Extends the lease; false when another worker has taken the job over meanwhile. */
export async function renewLease(
  db: Kysely<Database>,
  jobId: string,
  worker: string,
  until: string,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ lease_until: until })
    .where('id', '=', jobId)
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The next pending items of waves up to `maxWave`, after `afterSeq` (batches in flight). */
export function pendingItems(
  db: Kysely<Database>,
  jobId: string,
  opts: { maxWave: number; afterSeq: number; limit: number },
): Promise<JobItemRow[]> {
  return db
    .selectFrom('job_items')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('status', '=', 'pending')
    .where('seq', '>', opts.afterSeq)
    .where('wave', '<=', opts.maxWave)
    .orderBy('seq')
    .limit(opts.limit)
    .execute();
}

/** The lowest wave that still has work, or undefined when the job is complete. */
export async function nextPendingWave(
  db: Kysely<Database>,
  jobId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('job_items')
    .select((eb) => eb.fn.min('wave').as('wave'))
    .where('job_id', '=', jobId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.wave === null || row?.wave === undefined ? undefined : Number(row.wave);
}

/** Records the outcome of a batch of items and adds them to the job's counters. */
export async function settleItems(
  db: Kysely<Database>,
  jobId: string,
  done: number[],
  failed: { seq: number; code: string; message: string }[],
): Promise<void> {
  for (const chunk of inChunks(done)) {
    await db
      .updateTable('job_items')
      .set({ status: 'done' })
      .where('job_id', '=', jobId)
      .where('seq', 'in', chunk)
      .execute();
  }
  for (const f of failed) {
    await db
      .updateTable('job_items')
      // A failed item's credential will never log in: drop it now.
      .set({
        status: 'failed',
        error_code: f.code,
        error_message: f.message,
        sealed_password: null,
      })
      .where('job_id', '=', jobId)
      .where('seq', '=', f.seq)
      .execute();
  }
  await db
    .updateTable('jobs')
    .set((eb) => ({
      done: eb('done', '+', done.length),
      failed: eb('failed', '+', failed.length),
    }))
    .where('id', '=', jobId)
    .execute();
}

/**
 * Applies `changes` to a job whose lease `worker` holds; false when it no longer does (the job
 * was cancelled, or another runner took it over), and nothing is written.
 */
export async function updateHeldJob(
  db: Kysely<Database>,
  jobId: string,
  worker: string,
  changes: Partial<
    Pick<
      JobRow,
      'status' | 'finished_at' | 'next_run_at' | 'lease_owner' | 'lease_until' | 'credentials'
    >
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set(changes)
    .where('id', '=', jobId)
    .where('lease_owner', '=', worker)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Ends a job that has not finished as `cancelled`, with its pending items, which are thereby no
 * longer reservations. The job's row is written first: on PostgreSQL that waits for a batch its
 * runner is committing, so exactly the items not carried out are cancelled, and the cleared
 * lease makes the runner's next renewal fail, so it stops at that batch boundary. False when
 * the job had finished already.
 */
export async function cancelJob(
  db: Kysely<Database>,
  jobId: string,
  now: string,
): Promise<boolean> {
  const ended = await db
    .updateTable('jobs')
    .set({
      status: 'cancelled',
      finished_at: now,
      next_run_at: null,
      lease_owner: null,
      lease_until: null,
    })
    .where('id', '=', jobId)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  if (Number(ended.numUpdatedRows) !== 1) return false;
  await db
    .updateTable('job_items')
    .set({ status: 'cancelled', sealed_password: null })
    .where('job_id', '=', jobId)
    .where('status', '=', 'pending')
    .execute();
  // Nothing was created: there are no credentials to hand out.
  await db
    .updateTable('jobs')
    .set({ credentials: 'none' })
    .where('id', '=', jobId)
    .where('credentials', '=', 'available')
    .where('done', '=', 0)
    .execute();
  return true;
}

/** Jobs with items still pending on a hostname, and how many: what blocks deleting it. */
export async function pendingJobsOn(
  db: Kysely<Database>,
  domainId: string,
): Promise<{ jobId: string; pending: number }[]> {
  const rows = await db
    .selectFrom('job_items')
    .select((eb) => ['job_id', eb.fn.countAll<string | number>().as('pending')])
    .where('domain_id', '=', domainId)
    .where('status', '=', 'pending')
    .groupBy('job_id')
    .orderBy('job_id')
    .execute();
  return rows.map((r) => ({ jobId: r.job_id, pending: Number(r.pending) }));
}

/** Sealed credentials of a finished job's created mailboxes, in planning order. */
/** A mailbox's policy columns from an outer join: all NULL when there is no mailbox. */
export type NullablePolicy = { [K in keyof PolicyRow]: PolicyRow[K] | null };

export function sealedCredentials(
  db: Kysely<Database>,
  jobId: string,
): Promise<(Pick<JobItemRow, 'target' | 'name' | 'sealed_password'> & NullablePolicy)[]> {
  // The mailbox's policy, when it still exists, for the sending tools' limit columns.
  return db
    .selectFrom('job_items as i')
    .leftJoin('mailboxes as m', (j) =>
      j.onRef('m.address', '=', 'i.target').onRef('m.account_id', '=', 'i.account_id'),
    )
    .select(['i.target', 'i.name', 'i.sealed_password'])
    .select(POLICY_COLUMNS.map((c) => `m.${c}` as const))
    .where('i.job_id', '=', jobId)
    .where('i.status', '=', 'done')
    .where('i.sealed_password', 'is not', null)
    .orderBy('i.seq')
    .execute();
}

/**
 * Marks a job's credentials downloaded by `holder`, keeping them sealed until `retryUntil` for
 * that holder's retries. The UPDATE is conditional, so of concurrent first downloads exactly one
 * wins; false for the others.
 */
export async function startCredentialsRetry(
  db: Kysely<Database>,
  jobId: string,
  holder: string,
  retryUntil: string,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      credentials: 'downloaded',
      credentials_holder: holder,
      credentials_retry_until: retryUntil,
    })
    .where('id', '=', jobId)
    .where('credentials', '=', 'available')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Erases a job's sealed passwords: undownloaded ones (`available` becomes `expired`), or those
 * of a download whose retry window has ended. False when there was nothing left to erase.
 */
export async function eraseCredentials(
  db: Kysely<Database>,
  jobId: string,
  from: 'available' | 'downloaded',
): Promise<boolean> {
  const result =
    from === 'available'
      ? await db
          .updateTable('jobs')
          .set({ credentials: 'expired' })
          .where('id', '=', jobId)
          .where('credentials', '=', 'available')
          .executeTakeFirst()
      : await db
          .updateTable('jobs')
          .set({ credentials_holder: null, credentials_retry_until: null })
          .where('id', '=', jobId)
          .where('credentials', '=', 'downloaded')
          .where('credentials_retry_until', 'is not', null)
          .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await db
    .updateTable('job_items')
    .set({ sealed_password: null })
    .where('job_id', '=', jobId)
    .execute();
  return true;
}

/**
 * Jobs whose sealed passwords are due for erasure: undownloaded and finished before
 * `finishedBefore`, or downloaded with a retry window ended by `now`.
 */
export function jobsWithStaleCredentials(
  db: Kysely<Database>,
  finishedBefore: string,
  now: string,
): Promise<Pick<JobRow, 'id' | 'credentials'>[]> {
  return db
    .selectFrom('jobs')
    .select(['id', 'credentials'])
    .where((eb) =>
      eb.or([
        eb.and([eb('credentials', '=', 'available'), eb('finished_at', '<', finishedBefore)]),
        eb.and([eb('credentials', '=', 'downloaded'), eb('credentials_retry_until', '<=', now)]),
      ]),
    )
    .execute();
}
