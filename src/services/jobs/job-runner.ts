import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CREDENTIALS_TTL_MS } from '../../core/credentials-retention.js';
import {
  RUNNER_HEARTBEAT_KEPT_SECONDS,
  RUNNER_HEARTBEAT_SECONDS,
} from '../../core/runner-heartbeat.js';
import { appendEvent } from '../../store/events.js';
import {
  claimJob,
  eraseCredentials,
  findJob,
  jobsWithStaleCredentials,
  nextPendingWave,
  pendingItems,
  renewLease,
  settleItems,
  updateHeldJob,
} from '../../store/jobs.js';
import { recordHeartbeat } from '../../store/runner-heartbeats.js';
import type { JobKind, JobRow } from '../../store/schema.js';
import type { ServiceContext } from '../context.js';
import { publishDns } from '../dns-records/publish-dns.js';
import { verifyDomain } from '../domains/verify-domain.js';
import { changeLogins } from '../support/login-change.js';
import { deliverDueWebhooks } from '../webhooks/deliver-webhooks.js';
import { createMailboxesHandler } from './handlers/create-mailboxes-handler.js';
import { deleteDomainsHandler } from './handlers/delete-domains-handler.js';
import { deleteMailboxesHandler } from './handlers/delete-mailboxes-handler.js';
import { domainActionHandler } from './handlers/domain-action-handler.js';
import { exportMailboxesHandler } from './handlers/export-mailboxes-handler.js';
import { setForwardingHandler } from './handlers/set-forwarding-handler.js';
import { setSendingHandler } from './handlers/set-sending-handler.js';
import type { JobHandler } from './handlers/job-handler.js';

const HANDLERS: Record<JobKind, JobHandler<never>> = {
  bulk_mailboxes: createMailboxesHandler as JobHandler<never>,
  import_mailboxes: createMailboxesHandler as JobHandler<never>,
  bulk_delete_domains: deleteDomainsHandler as JobHandler<never>,
  bulk_delete_mailboxes: deleteMailboxesHandler as JobHandler<never>,
  bulk_set_sending: setSendingHandler as JobHandler<never>,
  bulk_set_forwarding: setForwardingHandler as JobHandler<never>,
  verify_domains: domainActionHandler((ctx, actor, name) =>
    verifyDomain(ctx, actor, name),
  ) as JobHandler<never>,
  publish_dns: domainActionHandler(publishDns) as JobHandler<never>,
  export_mailboxes: exportMailboxesHandler as JobHandler<never>,
};

class LeaseLost extends Error {}

export interface JobRunnerOptions {
  /** How often an idle runner looks for work that other processes queued. */
  pollMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Carries out queued jobs inside the server (or a CLI) process. Jobs live in the database and
 * are claimed with an expiring lease, so any number of runners can share them, and a job whose
 * runner died (kill -9) is taken over once its lease runs out: its planned items resume where
 * the last committed batch left off.
 */
export class JobRunner {
  /** Names the host and process, so an operator (or a test) can tell who holds a job's lease. */
  readonly id = `runner:${hostname()}:${process.pid}:${randomUUID()}`;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastSweep = 0;
  private delivering: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: JobRunnerOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), RUNNER_HEARTBEAT_SECONDS * 1000);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.wake();
    await this.loop;
    await this.delivering;
    await this.beating;
  }

  /**
   * Tells `mailwright doctor` this runner is alive. On a timer of its own rather than in the
   * loop: one wave of a large job keeps the loop busy for minutes while the runner is healthy.
   */
  private beat(): void {
    if (this.beating) return;
    const now = this.ctx.clock().getTime();
    this.beating = recordHeartbeat(
      this.ctx.store.db,
      this.id,
      new Date(now).toISOString(),
      new Date(now - RUNNER_HEARTBEAT_KEPT_SECONDS * 1000).toISOString(),
    )
      .catch((error: unknown) => this.opts.log?.('job runner heartbeat error', error))
      .finally(() => {
        this.beating = undefined;
      });
  }

  /** Look for work now instead of at the next poll (a job was just queued). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Runs claimable jobs until none is left right now; for the CLI and tests. */
  async runPending(): Promise<void> {
    while (await this.runOne()) {
      /* keep going */
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let worked = false;
      try {
        await this.sweepCredentials();
        this.deliverWebhooks();
        worked = await this.runOne();
      } catch (error) {
        this.opts.log?.('job runner error', error);
      }
      if (!worked && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.pollMs ?? 1000);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = undefined;
      }
    }
  }

  /**
   * Sends due webhook deliveries alongside the jobs, one pass at a time, so a slow receiver
   * never holds a job up.
   */
  private deliverWebhooks(): void {
    if (this.delivering) return;
    this.delivering = deliverDueWebhooks(this.ctx)
      .then(
        () => undefined,
        (error: unknown) => this.opts.log?.('webhook delivery error', error),
      )
      .finally(() => {
        this.delivering = undefined;
      });
  }

  /** Claims one job and carries out its current wave; false when nothing was claimable. */
  private async runOne(): Promise<boolean> {
    const { db } = this.ctx.store;
    const job = await claimJob(db, this.id, this.ctx.clock(), this.ctx.jobLeaseSeconds);
    if (!job) return false;
    const heartbeat = this.keepLease(job);
    try {
      await this.runWave(job);
    } catch (error) {
      if (!(error instanceof LeaseLost)) {
        // Left claimed until the lease expires, then retried: the failed batch was rolled back.
        this.opts.log?.(`job ${job.id} interrupted`, error);
      }
    } finally {
      clearInterval(heartbeat);
    }
    return true;
  }

  private leaseUntil(): string {
    return new Date(this.ctx.clock().getTime() + this.ctx.jobLeaseSeconds * 1000).toISOString();
  }

  /**
   * Renews the lease three times per lease period while this runner works on the job, so a batch
   * that hashes for longer than a lease (a loaded machine, a short MAILWRIGHT_JOB_LEASE_SECONDS)
   * is not taken over by another runner, which would hash it again and lose it to the same
   * fate. Only a runner that stopped (kill -9) lets its lease run out. The renewal in each
   * batch's transaction stays the arbiter of who may write.
   */
  private keepLease(job: JobRow): NodeJS.Timeout {
    return setInterval(
      () => {
        renewLease(this.ctx.store.db, job.id, this.id, this.leaseUntil()).catch((error: unknown) =>
          this.opts.log?.(`job ${job.id} lease renewal error`, error),
        );
      },
      (this.ctx.jobLeaseSeconds * 1000) / 3,
    );
  }

  private async runWave(job: JobRow): Promise<void> {
    const { db } = this.ctx.store;
    const handler = HANDLERS[job.kind];
    const wave = await nextPendingWave(db, job.id);
    if (wave !== undefined) {
      const batchAfter = (afterSeq: number) =>
        pendingItems(db, job.id, { maxWave: wave, afterSeq, limit: handler.batchSize(this.ctx) });
      let writing: Promise<void> = Promise.resolve();
      let pending = await batchAfter(-1);
      while (pending.length > 0) {
        // Its own binding: the write below reads it after `pending` has moved on to the next batch.
        const items = pending;
        // The next batch is read while this one is prepared, so its preparation can start the
        // moment this one's write does: after the write had begun, the read would wait for its
        // whole transaction on SQLite's one connection, and the hashing with it.
        const following = batchAfter(items[items.length - 1]!.seq);
        following.catch(() => undefined);
        // Prepared while the previous batch is being written: the cores never wait on the database.
        const prepared = await handler.prepare(this.ctx, items, job);
        await writing;
        // A batch that takes logins away flushes Dovecot's cache of them as part of its commit.
        writing = changeLogins(this.ctx, async (trx) => {
          if (!(await renewLease(trx, job.id, this.id, this.leaseUntil()))) throw new LeaseLost();
          const outcome = await handler.apply(this.ctx, trx, job, items, prepared);
          await settleItems(trx, job.id, outcome.done, outcome.failed);
          return outcome.logins ?? [];
        });
        // Awaited on the next turn; marked handled now so a failure is not reported twice.
        writing.catch(() => undefined);
        pending = await following;
      }
      await writing;
    }

    const next = await nextPendingWave(db, job.id);
    if (next !== undefined) {
      // A staged job rests between waves; the lease goes so any runner can pick up the next one.
      const runAt = new Date(this.ctx.clock().getTime() + (job.stage_interval_seconds ?? 0) * 1000);
      await updateHeldJob(db, job.id, this.id, {
        next_run_at: runAt.toISOString(),
        lease_owner: null,
        lease_until: null,
      });
      return;
    }
    await this.finish(job);
  }

  private async finish(job: JobRow): Promise<void> {
    const { db } = this.ctx.store;
    await db.transaction().execute(async (trx) => {
      const current = (await findJob(trx, job.account_id, job.id))!;
      const now = this.ctx.clock().toISOString();
      // False when the job was cancelled meanwhile (which ended it and took the lease) or taken
      // over by another runner: it is not this runner's to finish.
      const held = await updateHeldJob(trx, job.id, this.id, {
        status: current.done === 0 && current.failed > 0 ? 'failed' : 'succeeded',
        finished_at: now,
        next_run_at: null,
        lease_owner: null,
        lease_until: null,
        credentials:
          current.credentials === 'available' && current.done === 0 ? 'none' : current.credentials,
      });
      if (!held) return;
      await appendEvent(trx, {
        accountId: job.account_id,
        actor: job.actor,
        action: 'job.finished',
        target: job.id,
        details: {
          kind: job.kind,
          total: current.total,
          done: current.done,
          failed: current.failed,
        },
        now,
      });
    });
  }

  /**
   * Erases credentials nobody downloaded within a day of their job finishing, and those of a
   * download whose retry window has ended.
   */
  async sweepCredentials(): Promise<void> {
    const now = this.ctx.clock().getTime();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const { db } = this.ctx.store;
    for (const job of await jobsWithStaleCredentials(
      db,
      new Date(now - CREDENTIALS_TTL_MS).toISOString(),
      new Date(now).toISOString(),
    )) {
      const from = job.credentials === 'available' ? 'available' : 'downloaded';
      await db.transaction().execute((trx) => eraseCredentials(trx, job.id, from));
    }
  }
}
