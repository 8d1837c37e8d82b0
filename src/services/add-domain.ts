import { randomUUID } from 'node:crypto';
import { conflict, IssueCollector } from '../core/errors.js';
import { checkRootDomain } from '../core/hostname.js';
import {
  assertWithinLimit,
  checkDomainQuotaMb,
  checkMailboxLimit,
  DEFAULT_DOMAIN_QUOTA_MB,
} from '../core/limits.js';
import { newVerificationToken } from '../core/verification.js';
import { domainNameTaken, findDomain, insertDomain } from '../store/domains.js';
import { isUniqueViolation } from '../store/errors.js';
import { appendEvent } from '../store/events.js';
import { countRootDomains, lockAccount, readLimits } from '../store/limits.js';
import { nowIso, type Actor, type ServiceContext } from './context.js';
import { ensureDkimKeys } from './dkim-keys.js';
import { toDomain, type Domain } from './domain-view.js';

export const domainExists = (name: string) =>
  conflict('domain_exists', `${name} is already registered on this platform.`);

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
      const limits = await readLimits(trx, actor.accountId);
      const mailboxLimit =
        input.mailboxLimit === undefined
          ? null
          : issues.check(
              'mailboxLimit',
              checkMailboxLimit(input.mailboxLimit, limits.maxMailboxesPerDomain),
            );
      issues.throwIfAny();
      if (await domainNameTaken(trx, name)) throw domainExists(name);
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
    // Two requests for the same name can both pass the check; the unique index decides.
    if (isUniqueViolation(error)) throw domainExists(name);
    throw error;
  }
  const added = (await findDomain(ctx.store.db, actor.accountId, name))!;
  // After the commit, so the account lock is not held through ~100 ms of key generation.
  await ensureDkimKeys(ctx, added);
  return toDomain(added);
}
