import { randomUUID } from 'node:crypto';
import { AppError, orThrow } from '../../core/errors.js';
import {
  assertListSize,
  DEFAULT_DOMAIN_QUOTA_MB,
  MAX_SUBDOMAIN_LABELS,
} from '../../core/limits.js';
import { checkSubdomainLabel, splitLabels } from '../../core/subdomain-label.js';
import {
  findDomain,
  insertDomain,
  existingDomainNames,
  type DomainRecord,
} from '../../store/domains.js';
import { isUniqueViolation } from '../../store/errors.js';
import { appendEvent } from '../../store/events.js';
import { countSubdomains, lockAccount, readLimits } from '../../store/limits.js';
import { nowIso, type Actor, type ServiceContext } from '../context.js';
import { ensureDkimKeys } from '../dns-records/support/dkim-keys.js';
import { toDomain, type Domain } from './support/domain-view.js';
import { requireDomain } from './get-domain.js';

export interface RejectedLabel {
  label: string;
  code: string;
  message: string;
}

/**
 * Creates each label as its own hostname under a root, one transaction per label, so one bad
 * or taken label never blocks the others and every label gets its own answer.
 */
export async function addSubdomains(
  ctx: ServiceContext,
  actor: Actor,
  parentName: string,
  input: { labels: string | string[] },
): Promise<{ created: Domain[]; rejected: RejectedLabel[] }> {
  const labels = splitLabels(input.labels);
  assertListSize('labels', labels.length, MAX_SUBDOMAIN_LABELS, 'sub-domain labels');
  const parent = await requireDomain(ctx, actor, parentName);
  if (parent.kind !== 'root') {
    throw new AppError(
      'validation',
      'parent_not_root',
      `${parent.name} is a sub-domain; add sub-domains to its root ${parent.parent_name} instead.`,
      [
        {
          field: 'name',
          code: 'parent_not_root',
          message: `Pick the root domain ${parent.parent_name}.`,
        },
      ],
    );
  }
  if (labels.length === 0) {
    orThrow('labels', {
      ok: false,
      code: 'required',
      message: 'Enter at least one label, one per line (for example sales).',
    });
  }

  const rejected: RejectedLabel[] = [];
  const valid: { label: string; name: string }[] = [];
  const seen = new Set<string>();
  for (const label of labels) {
    const checked = checkSubdomainLabel(label, parent.name);
    if (!checked.ok) rejected.push({ label, code: checked.code, message: checked.message });
    else if (seen.has(label))
      rejected.push({
        label,
        code: 'duplicate',
        message: `${label} appears more than once; it is created once.`,
      });
    else {
      seen.add(label);
      valid.push({ label, name: checked.value });
    }
  }

  const taken = await existingDomainNames(
    ctx.store.db,
    actor.accountId,
    valid.map((v) => v.name),
  );
  const createdNames: string[] = [];
  for (const { label, name } of valid) {
    const exists = {
      label,
      code: 'exists',
      message: `${name} already exists; choose another label.`,
    };
    if (taken.has(name)) {
      rejected.push(exists);
      continue;
    }
    try {
      const refused = await ctx.store.db.transaction().execute(async (trx) => {
        await lockAccount(trx, actor.accountId);
        const { maxSubdomainsPerDomain } = await readLimits(trx, actor.accountId);
        const existing = await countSubdomains(trx, parent.id);
        if (existing >= maxSubdomainsPerDomain) {
          return `maxSubdomainsPerDomain is ${maxSubdomainsPerDomain} and ${parent.name} has ${existing}: remove one, or ask the operator to raise the limit.`;
        }
        const now = nowIso(ctx);
        await insertDomain(trx, {
          id: randomUUID(),
          account_id: actor.accountId,
          name,
          unicode_name: `${label}.${parent.unicode_name}`,
          kind: 'subdomain',
          parent_id: parent.id,
          // Inherits the parent's proof of ownership, now and when the parent is verified later.
          status: parent.status,
          verification_token: parent.verification_token,
          created_at: now,
          verified_at: parent.status === 'verified' ? now : null,
          mailbox_limit: null,
          quota_mb: DEFAULT_DOMAIN_QUOTA_MB,
        });
        await appendEvent(trx, {
          accountId: actor.accountId,
          actor: actor.name,
          action: 'subdomain.created',
          target: name,
          now,
        });
        return undefined;
      });
      if (refused) rejected.push({ label, code: 'limit_exceeded', message: refused });
      else createdNames.push(name);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      rejected.push(exists);
    }
  }

  const rows: DomainRecord[] = [];
  for (const name of createdNames)
    rows.push((await findDomain(ctx.store.db, actor.accountId, name))!);
  // After the commits, so a refused label costs no key generation and no transaction holds the
  // account lock through it; the generations run side by side on libuv's thread pool.
  await Promise.all(rows.map((row) => ensureDkimKeys(ctx, row)));
  return { created: rows.map(toDomain), rejected };
}
