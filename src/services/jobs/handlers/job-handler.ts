import type { Kysely } from 'kysely';
import type { Database, JobItemRow, JobRow } from '../../../store/schema.js';
import type { ServiceContext } from '../../context.js';

export interface ItemOutcome {
  done: number[];
  failed: { seq: number; code: string; message: string }[];
  /**
   * Addresses whose logins the batch took away or changed: the runner flushes Dovecot's cache
   * of them inside the batch's transaction and again after its commit (`changeLogins`).
   */
  logins?: string[];
}

/**
 * How one kind of job carries out its items. `prepare` does slow work outside any transaction
 * (hashing) and overlaps the previous batch's `apply`; `apply` writes one batch in one
 * transaction together with the job's progress, so a crash never half-applies a batch.
 */
export interface JobHandler<Prepared = unknown> {
  /** Items per batch, for the process's configuration. */
  batchSize(ctx: ServiceContext): number;
  prepare(ctx: ServiceContext, items: JobItemRow[], job: JobRow): Promise<Prepared>;
  apply(
    ctx: ServiceContext,
    trx: Kysely<Database>,
    job: JobRow,
    items: JobItemRow[],
    prepared: Prepared,
  ): Promise<ItemOutcome>;
}
