import { AppError, orThrow } from '../../core/errors.js';
import { withinDomains } from '../../core/token-scopes.js';
import { checkHostname } from '../../core/hostname.js';
import { assertWithinLimit } from '../../core/limits.js';
import { checkLocalPart } from '../../core/local-part.js';
import { parseMailboxImport, type ImportRow } from '../../core/mailbox-import-csv.js';
import { generatePassword } from '../../core/password.js';
import { checkPersonName } from '../../core/person-name.js';
import { DEFAULT_QUOTA_MB } from '../../core/quota.js';
import { findDomain, type DomainRecord } from '../../store/domains.js';
import { lockAccount, mailboxesSince, readLimits } from '../../store/limits.js';
import { takenAddresses } from '../../store/mailboxes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { assertNoCooldown, bulkCooldownRule } from './support/cooldown.js';
import { getJob } from '../jobs/get-job.js';
import type { Job } from '../jobs/support/job-view.js';
import { queueJob, type PlannedItem } from '../jobs/queue-job.js';
import {
  assertCapacity,
  capacityUsage,
  hourlyWindowStart,
} from '../mailboxes/support/mailbox-capacity.js';

interface RowVerdict {
  row: ImportRow;
  address: string;
  domain?: DomainRecord;
  error?: { code: string; message: string };
}

/**
 * A CSV of `name,local_part,domain[,quota_mb]` rows becomes one import job with generated
 * passwords. Rows that break a rule become failed items with their line number, so one upload
 * reports every bad row; limits and the bulk cooldown apply to the whole file, as to a bulk
 * request, before anything is written.
 */
export async function importMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  csv: string,
): Promise<Job> {
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const limits = await readLimits(trx, actor.accountId);
    const parsed = orThrow('body', parseMailboxImport(csv, limits.maxBulkCount));
    await assertNoCooldown(
      trx,
      actor.accountId,
      ctx.clock(),
      bulkCooldownRule(limits),
      'a large bulk request',
    );

    const domains = new Map<string, DomainRecord | undefined>();
    const verdicts: RowVerdict[] = [];
    // A file may hold maxBulkCount (up to 10,000) rows, checked while the account is locked.
    const seen = new Set<string>();
    for (const row of parsed.rows) {
      const verdict = await judgeRow(trx, actor, row, domains);
      if (!verdict.error && seen.has(verdict.address)) {
        verdict.error = {
          code: 'duplicate',
          message: `${verdict.address} appears on an earlier line.`,
        };
      }
      if (!verdict.error) seen.add(verdict.address);
      verdicts.push(verdict);
    }
    const taken = await takenAddresses(
      trx,
      verdicts.filter((v) => !v.error).map((v) => v.address),
    );
    for (const v of verdicts) {
      if (!v.error && taken.has(v.address))
        v.error = { code: 'mailbox_exists', message: `${v.address} already exists.` };
    }
    const valid = verdicts.filter((v) => !v.error);
    const rowErrors = [
      ...parsed.errors.map((e) => ({
        line: e.line,
        address: `line ${e.line}`,
        code: e.code,
        message: e.message,
      })),
      ...verdicts
        .filter((v) => v.error)
        .map((v) => ({ line: v.row.line, address: v.address, ...v.error! })),
    ].sort((a, b) => a.line - b.line);
    if (valid.length === 0) {
      throw new AppError(
        'validation',
        'invalid_import',
        `No row of the file can be imported: fix the rows listed and upload it again.`,
        rowErrors.map((e) => ({ field: `line ${e.line}`, code: e.code, message: e.message })),
      );
    }

    // Limits per hostname for the rows that will be created, and the hourly limit for all.
    const byDomain = new Map<DomainRecord, RowVerdict[]>();
    for (const v of valid) {
      const rows = byDomain.get(v.domain!);
      if (rows) rows.push(v);
      else byDomain.set(v.domain!, [v]);
    }
    for (const [domain, rows] of byDomain) {
      const usage = await capacityUsage(trx, domain, limits, ctx.clock());
      const quotaMb = rows.reduce((sum, v) => sum + (v.row.quotaMb ?? DEFAULT_QUOTA_MB), 0);
      assertCapacity(usage, domain.name, { count: rows.length, quotaMb, countField: 'body' });
    }
    // The hourly limit is the account's: it counts every row of the file, across hostnames.
    assertWithinLimit({
      limit: 'maxMailboxesPerHour',
      field: 'body',
      usage: await mailboxesSince(trx, actor.accountId, hourlyWindowStart(ctx.clock())),
      requested: valid.length,
      max: limits.maxMailboxesPerHour,
      hint: 'Wait for the hourly window to move on, or split the file.',
    });

    const items: PlannedItem[] = [
      ...valid.map((v) => ({
        domain_id: v.domain!.id,
        target: v.address,
        local_part: v.address.split('@')[0]!,
        name: v.row.name,
        quota_mb: v.row.quotaMb ?? DEFAULT_QUOTA_MB,
        status: 'pending' as const,
        sealed_password: ctx.secrets.cipher.encrypt(generatePassword()),
      })),
      ...rowErrors.map((e) => ({
        target: e.address,
        status: 'failed' as const,
        error_code: e.code,
        error_message: `Line ${e.line}: ${e.message}`,
      })),
    ];
    return queueJob(ctx, trx, actor, {
      kind: 'import_mailboxes',
      params: { rows: parsed.rows.length + parsed.errors.length },
      items,
      preFailed: rowErrors.length,
      credentials: true,
      event: { action: 'mailboxes.import_requested', target: `${items.length} row(s)` },
    });
  });
  ctx.onJobQueued?.();
  return getJob(ctx, actor, id);
}

async function judgeRow(
  db: ServiceContext['store']['db'],
  actor: Actor,
  row: ImportRow,
  domains: Map<string, DomainRecord | undefined>,
): Promise<RowVerdict> {
  const raw = `${row.localPart}@${row.domain}`.toLowerCase();
  const hostname = checkHostname(row.domain);
  if (!hostname.ok) return { row, address: raw, error: hostname };
  if (!domains.has(hostname.value.name)) {
    domains.set(
      hostname.value.name,
      withinDomains(actorDomains(actor), hostname.value.name)
        ? await findDomain(db, actor.accountId, hostname.value.name)
        : undefined,
    );
  }
  const domain = domains.get(hostname.value.name);
  if (!domain) {
    return {
      row,
      address: raw,
      error: {
        code: 'domain_not_found',
        message: `No domain ${hostname.value.name} in this account.`,
      },
    };
  }
  if (domain.status !== 'verified') {
    return {
      row,
      address: raw,
      error: { code: 'domain_not_verified', message: `${domain.name} is not verified yet.` },
    };
  }
  const local = checkLocalPart(row.localPart, domain.name);
  if (!local.ok) return { row, address: raw, error: local };
  const name = checkPersonName(row.name);
  const address = `${local.value}@${domain.name}`;
  if (!name.ok) return { row, address, error: name };
  return { row: { ...row, name: name.value }, address, domain };
}
