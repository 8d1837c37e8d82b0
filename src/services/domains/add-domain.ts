import { randomUUID } from 'node:crypto';
import { conflict, IssueCollector } from '../../core/errors.js';
import { checkRootDomain } from '../../core/hostname.js';
import {
  assertWithinLimit,
  checkDomainQuotaMb,
  checkMailboxLimit,
  DEFAULT_DOMAIN_QUOTA_MB,
} from '../../core/limits.js';
import { newVerificationToken } from '../../core/verification.js';
import { findDomain, insertDomain } from '../../store/domains.js';
import { isUniqueViolation } from '../../store/errors.js';
import { appendEvent } from '../../store/events.js';
import { countRootDomains, lockAccount, readLimits } from '../../store/limits.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { ensureDkimKeys } from '../dns-records/support/dkim-keys.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { removeLapsedClaims } from './support/domain-claims.js';

// Only ever about the caller's own domains: whether another account holds the name is not
// told here, only to whoever proves it by DNS (verify-domain.ts).
const domainExists = (name: string) =>
  conflict('domain_exists', `You have already added ${name}: find it in your domain list.`);

export interface AddDomainInput {
  name: string;
  mailboxLimit?: number;
  quotaMb?: number;
}

export async function addDomain(
  ctx: ServiceContext,
  actor: Actor,
  input: AddDomainInput,
): Promise<Domain> {
  const issues = new IssueCollector();
  const hostname = issues.check('name', checkRootDomain(input.name));
  const quotaMb = issues.check(
    'quotaMb',
    checkDomainQuotaMb(input.quotaMb ?? DEFAULT_DOMAIN_QUOTA_MB),
  );
  issues.throwIfAny();
  const { name, unicodeName } = hostname!;
  const now = nowIso(ctx);
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await lockAccount(trx, actor.accountId);
      await removeLapsedClaims(ctx, trx, { accountId: actor.accountId, name });
      const limits = await readLimits(trx, actor.accountId);
      const mailboxLimit =
        input.mailboxLimit === undefined
          ? null
          : issues.check(
              'mailboxLimit',
              checkMailboxLimit(input.mailboxLimit, limits.maxMailboxesPerDomain),
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
        quota_mb: quotaMb!,
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
  const added = (await findDomain(ctx.store.db, actor.accountId, name))!;
  // After the commit, so the account lock is not held through ~100 ms of key generation.
  await ensureDkimKeys(ctx, added);
  return toDomain(added);
}
