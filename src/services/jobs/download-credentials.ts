import {
  CREDENTIALS_RETRY_MS,
  CREDENTIALS_RETRY_TEXT,
  CREDENTIALS_TTL_TEXT,
} from '../../core/credentials-retention.js';
import { credentialsCsv, type ExportedSending } from '../../core/credentials-csv.js';
import { limitToday } from '../../core/sending.js';
import {
  DEFAULT_CREDENTIALS_FORMAT,
  type CredentialsFormat,
} from '../../core/credentials-formats.js';
import { AppError, conflict, notFound } from '../../core/errors.js';
import { appendEvent } from '../../store/events.js';
import {
  eraseCredentials,
  findJob,
  type NullablePolicy,
  sealedCredentials,
  startCredentialsRetry,
} from '../../store/jobs.js';
import type { JobRow } from '../../store/schema.js';
import type { PolicyRow } from '../../store/send-counts.js';
import { toSendingPolicy } from '../mailboxes/support/sending-view.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { requireJob } from './get-job.js';

/**
 * Who downloads: the API token or CLI user (the actor's name, `token:<id>`, `cli:<user>`) or
 * the console session (`session:<id>`: not the user, whose other sessions are someone else),
 * never a whole account. Only the same holder may download again.
 */
export type CredentialsHolder = string;

const downloadedAlready = () =>
  new AppError(
    'gone',
    'credentials_already_downloaded',
    `These credentials were downloaded once and then erased (only the session or API token that downloaded them could download them again, within ${CREDENTIALS_RETRY_TEXT}); reset a password (PATCH the mailbox) to get a new one.`,
  );

/**
 * What a download of `job`'s credentials by `holder` would get: the file for the first time,
 * the same file again (the first downloader, within the retry window), or a refusal —
 * `windowEnded` when the passwords outlived their window and are to be erased now.
 */
type Verdict = { serve: 'first' | 'again' } | { refuse: AppError; windowEnded?: true };

function verdict(job: JobRow, holder: string, now: string): Verdict {
  if (job.credentials === 'none') return { refuse: notFound('credentials', job.id) };
  if (job.credentials === 'expired') {
    return {
      refuse: new AppError(
        'gone',
        'credentials_expired',
        `These credentials were erased ${CREDENTIALS_TTL_TEXT} after the job finished; reset a password (PATCH the mailbox) to get a new one.`,
      ),
    };
  }
  if (job.credentials === 'downloaded') {
    const until = job.credentials_retry_until;
    if (until === null) return { refuse: downloadedAlready() };
    if (now >= until) return { refuse: downloadedAlready(), windowEnded: true };
    return job.credentials_holder === holder ? { serve: 'again' } : { refuse: downloadedAlready() };
  }
  if (job.finished_at === null) {
    return {
      refuse: conflict(
        'job_not_finished',
        `Job ${job.id} is still ${job.status}: download the credentials when it has finished.`,
      ),
    };
  }
  return { serve: 'first' };
}

/**
 * The job's generated credentials as CSV, once: the first download marks them downloaded and
 * keeps them sealed for CREDENTIALS_RETRY_MS, during which only the same holder may download
 * them again (a transfer that broke off loses nothing); then they are erased, here or by the
 * job runner's sweep, whichever comes first. The format is only the file's layout: the first
 * download, in whichever format, is the one, and a retry may ask for another.
 */
export async function downloadCredentials(
  ctx: ServiceContext,
  actor: Actor,
  jobId: string,
  opts: { holder?: CredentialsHolder; format?: CredentialsFormat } = {},
): Promise<string> {
  const holder = opts.holder ?? actor.name;
  const format = opts.format ?? DEFAULT_CREDENTIALS_FORMAT;
  const holderMac = ctx.secrets.mac(holder);
  const outcome = await ctx.store.db.transaction().execute(async (trx) => {
    const now = nowIso(ctx);
    let job = await requireJob(ctx, actor, jobId, trx);
    let decided = verdict(job, holderMac, now);
    if ('serve' in decided && decided.serve === 'first') {
      const until = new Date(ctx.clock().getTime() + CREDENTIALS_RETRY_MS).toISOString();
      if (!(await startCredentialsRetry(trx, job.id, holderMac, until))) {
        // Another request downloaded them first, perhaps by the same holder.
        job = (await findJob(trx, actor.accountId, job.id))!;
        decided = verdict(job, holderMac, now);
      }
    }
    if ('refuse' in decided) {
      if (decided.windowEnded) await eraseCredentials(trx, job.id, 'downloaded');
      return decided;
    }
    const rows = await sealedCredentials(trx, job.id);
    await appendEvent(trx, {
      accountId: actor.accountId,
      actor: actor.name,
      action: 'credentials.downloaded',
      target: job.id,
      details: {
        mailboxes: rows.length,
        format,
        ...(decided.serve === 'again' ? { again: true } : {}),
      },
      now,
    });
    return { rows };
  });
  // Thrown after the commit, so an erasure decided above is kept.
  if ('refuse' in outcome) throw outcome.refuse;
  const now = ctx.clock();
  return credentialsCsv(
    outcome.rows.map((r) => ({
      email: r.target,
      name: r.name ?? '',
      password: ctx.secrets.cipher.decrypt(r.sealed_password!),
      sending: exportedSending(r, now),
    })),
    ctx.mailServer,
    format,
  );
}

/** What the sending tools are told of a mailbox's policy; null when the mailbox is gone. */
function exportedSending(row: NullablePolicy, now: Date): ExportedSending | null {
  if (row.send_daily_limit === null) return null;
  const policy = toSendingPolicy(row as PolicyRow);
  const { warmup } = policy;
  return {
    dailyLimit: limitToday(policy, now),
    warmup: warmup && { start: warmup.start, increment: warmup.increment, max: warmup.max },
  };
}

/**
 * Answers as a download by `holder` would (404, 409, 410) without downloading anything: for
 * HEAD, which link checkers and download managers send freely.
 */
export async function checkCredentials(
  ctx: ServiceContext,
  actor: Actor,
  jobId: string,
  holder: CredentialsHolder = actor.name,
): Promise<void> {
  const job = await requireJob(ctx, actor, jobId);
  const decided = verdict(job, ctx.secrets.mac(holder), nowIso(ctx));
  if ('refuse' in decided) throw decided.refuse;
}
