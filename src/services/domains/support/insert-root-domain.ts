import { randomUUID } from 'node:crypto';
import { conflict, IssueCollector, notFound } from '../../../core/errors.js';
import { withinDomains } from '../../../core/token-scopes.js';
import type { Hostname } from '../../../core/hostname.js';
import { assertWithinLimit, checkMailboxLimit } from '../../../core/limits.js';
import { newVerificationToken } from '../../../core/verification.js';
import { findDomain, insertDomain, type DomainRecord } from '../../../store/domains.js';
import { isUniqueViolation } from '../../../store/errors.js';
import { appendEvent } from '../../../store/events.js';
import { countRootDomains, lockAccount, readLimits } from '../../../store/limits.js';
import { actorDomains, nowIso, type Actor, type ServiceContext } from '../../context.js';
import { removeLapsedClaims } from './domain-claims.js';

// Only ever about the caller's own domains: whether another account holds the name is not
// told here, only to whoever proves it by DNS (verify-domain.ts).
const domainExists = (name: string) =>
  conflict('domain_exists', `You have already added ${name}: find it in your domain list.`);

/**
 * Adds one checked root hostname in its own transaction under the account lock, so maxDomains
 * holds under concurrency: `domain_exists`, `limit_exceeded` (field `name`) or a bad
 * `mailboxLimit` are thrown as the single add reports them. Its DKIM keys are the caller's to
 * make, after the commit, so the lock is not held through key generation.
 */
export async function insertRootDomain(
  ctx: ServiceContext,
  actor: Actor,
  hostname: Pick<Hostname, 'name' | 'unicodeName'>,
  sizes: { mailboxLimit?: number; quotaMb: number },
): Promise<DomainRecord> {
  const { name, unicodeName } = hostname;
  // A domain-restricted token cannot add a root outside its own: to it, that name is unknown.
  if (!withinDomains(actorDomains(actor), name)) throw notFound('domain', name);
  const now = nowIso(ctx);
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await lockAccount(trx, actor.accountId);
      await removeLapsedClaims(ctx, trx, { accountId: actor.accountId, name });
      const limits = await readLimits(trx, actor.accountId);
      const issues = new IssueCollector();
      const mailboxLimit =
        sizes.mailboxLimit === undefined
          ? null
          : issues.check(
              'mailboxLimit',
              checkMailboxLimit(sizes.mailboxLimit, limits.maxMailboxesPerDomain),
            );
      issues.throwIfAny();
      if (await findDomain(trx, actor.accountId, name)) throw domainExists(name);
      assertWithinLimit({
        limit: 'maxDomains',
        field: 'name',
        usage: await countRootDomains(trx, actor.accountId),
        requested: 1,
        max: limits.maxDomains,
        hint: 'Remove a domain you no longer use, or ask the operator to raise the limit.',
      });
      await insertDomain(trx, {
        id: randomUUID(),
        account_id: actor.accountId,
        name,
        unicode_name: unicodeName,
        kind: 'root',
        parent_id: null,
        status: 'pending',
        verification_token: newVerificationToken(),
        created_at: now,
        verified_at: null,
        mailbox_limit: mailboxLimit ?? null,
        quota_mb: sizes.quotaMb,
      });
      await appendEvent(trx, {
        accountId: actor.accountId,
        actor: actor.name,
        action: 'domain.created',
        target: name,
        now,
      });
    });
  } catch (error) {
    // Two requests of one account for the same name can both pass the check; the unique
    // index on (account, name) decides.
    if (isUniqueViolation(error)) throw domainExists(name);
    throw error;
  }
  return (await findDomain(ctx.store.db, actor.accountId, name))!;
}
