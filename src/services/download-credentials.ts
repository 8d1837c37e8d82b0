import { AppError, conflict, notFound } from '../core/errors.js';
import { credentialsCsv } from '../core/credentials-csv.js';
import { appendEvent } from '../store/events.js';
import { sealedCredentials, takeCredentials } from '../store/jobs.js';
import { nowIso, type Actor, type ServiceContext } from './context.js';
import { requireJob } from './get-job.js';

/**
 * The job's generated credentials as CSV, exactly once: reading them and erasing them happen
 * in one transaction, and only the request whose update wins gets the file.
 */
export async function downloadCredentials(
  ctx: ServiceContext,
  actor: Actor,
  jobId: string,
): Promise<string> {
  return ctx.store.db.transaction().execute(async (trx) => {
    const job = await requireJob(ctx, actor, jobId, trx);
    if (job.credentials === 'none') throw notFound('credentials', jobId);
    if (job.credentials === 'downloaded') {
      throw new AppError(
        'gone',
        'credentials_already_downloaded',
        'These credentials were downloaded once and then erased; reset a password (PATCH the mailbox) to get a new one.',
      );
    }
    if (job.credentials === 'expired') {
      throw new AppError(
        'gone',
        'credentials_expired',
        'These credentials were erased 24 hours after the job finished; reset a password (PATCH the mailbox) to get a new one.',
      );
    }
    if (job.finished_at === null) {
      throw conflict(
        'job_not_finished',
        `Job ${job.id} is still ${job.status}: download the credentials when it has finished.`,
      );
    }
    const rows = await sealedCredentials(trx, job.id);
    if (!(await takeCredentials(trx, job.id, 'downloaded'))) {
      throw new AppError(
        'gone',
        'credentials_already_downloaded',
        'These credentials were just downloaded by another request.',
      );
    }
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'credentials.downloaded',
      target: job.id,
      details: { mailboxes: rows.length },
      now: nowIso(ctx),
    });
    return credentialsCsv(
      rows.map((r) => ({
        email: r.target,
        name: r.name ?? '',
        password: ctx.secrets.cipher.decrypt(r.sealed_password!),
      })),
      ctx.mailServer,
    );
  });
}
