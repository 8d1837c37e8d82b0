import { IssueCollector, orThrow, conflict } from '../../core/errors.js';
import { generatePassword } from '../../core/password.js';
import { lockAccount } from '../../store/limits.js';
import { mailboxesToExport } from '../../store/mailboxes.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { checkDomainList } from '../domains/support/queue-domain-job.js';
import { getJob } from '../jobs/get-job.js';
import { queueJob } from '../jobs/queue-job.js';
import type { Job } from '../jobs/support/job-view.js';

export interface ExportInput {
  domains?: string[];
  all?: boolean;
  /** ISO 8601 time: only mailboxes created after it. */
  createdAfter?: string;
  dryRun?: boolean;
}

export interface ExportPreview {
  mailboxes: number;
  domains: number;
  /** What the new passwords mean for whoever uses the mailboxes now. */
  warning: string;
}

const warningFor = (n: number): string =>
  `${n} mailbox${n === 1 ? '' : 'es'} will get a new password: their current passwords stop working at once, so every mail client and sending tool connected with them must be updated with the new ones.`;

/**
 * Passwords are stored only as hashes, so exporting existing mailboxes into a sending tool
 * means issuing new ones: a job (like bulk creation) that hashes a generated password per
 * mailbox, replaces the old hash, flushes the login from Dovecot's cache, and leaves the
 * passwords for the same one-time credentials download. `dryRun` answers how many mailboxes
 * would be changed and writes nothing. Disabled mailboxes are left out: they cannot log in.
 */
export async function exportMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  input: ExportInput,
): Promise<{ preview: ExportPreview } | { job: Job }> {
  const listed = input.domains !== undefined && input.domains.length > 0;
  if (listed === (input.all === true)) {
    orThrow('domains', {
      ok: false,
      code: 'required',
      message:
        'List the domains whose mailboxes to export in "domains", or send "all": true (not both).',
    });
  }
  const createdAfter = checkCreatedAfter(input.createdAfter);
  const id = await ctx.store.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.accountId);
    const roots = listed
      ? await checkDomainList(trx, actor, input.domains!, 'domains')
      : actorDomains(actor);
    const mailboxes = await mailboxesToExport(trx, actor.accountId, { roots, createdAfter });
    if (input.dryRun) {
      const domains = new Set(mailboxes.map((m) => m.domain_id)).size;
      return { mailboxes: mailboxes.length, domains, warning: warningFor(mailboxes.length) };
    }
    if (mailboxes.length === 0) {
      throw conflict('nothing_to_export', 'No active mailbox matches: nothing was changed.');
    }
    return queueJob(ctx, trx, actor, {
      kind: 'export_mailboxes',
      params: { ...(listed ? { domains: input.domains } : { all: true }), createdAfter },
      items: mailboxes.map((m) => ({
        target: m.address,
        name: m.name,
        status: 'pending',
        sealed_password: ctx.secrets.cipher.encrypt(generatePassword()),
      })),
      credentials: true,
      event: { action: 'mailboxes.export_requested', target: `${mailboxes.length} mailbox(es)` },
    });
  });
  if (typeof id !== 'string') return { preview: id };
  ctx.onJobQueued?.();
  return { job: await getJob(ctx, actor, id) };
}

function checkCreatedAfter(typed: string | undefined): string | null {
  if (typed === undefined) return null;
  const at = Date.parse(typed);
  const issues = new IssueCollector();
  if (!/^\d{4}-\d{2}-\d{2}/.test(typed) || Number.isNaN(at)) {
    issues.add(
      'createdAfter',
      'invalid_date',
      'Give a date or time in ISO 8601, for example 2026-11-30 or 2026-11-30T12:00:00Z.',
    );
  }
  issues.throwIfAny();
  return new Date(at).toISOString();
}
