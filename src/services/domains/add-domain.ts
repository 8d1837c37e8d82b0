import { IssueCollector } from '../../core/errors.js';
import { checkRootDomain } from '../../core/hostname.js';
import { checkDomainQuotaMb, DEFAULT_DOMAIN_QUOTA_MB } from '../../core/limits.js';
import type { Actor, ServiceContext } from '../context.js';
import { ensureDkimKeys } from '../dns-records/support/dkim-keys.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { insertRootDomain } from './support/insert-root-domain.js';

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
  const added = await insertRootDomain(ctx, actor, hostname!, {
    ...(input.mailboxLimit === undefined ? {} : { mailboxLimit: input.mailboxLimit }),
    quotaMb: quotaMb!,
  });
  // After the commit, so the account lock is not held through ~100 ms of key generation.
  await ensureDkimKeys(ctx, added);
  return toDomain(added);
}
