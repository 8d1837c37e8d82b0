import { checkSendingInput, type SendingInput } from '../../../core/sending.js';
import type { Kysely } from 'kysely';
import { addressCandidates } from '../../../core/address-candidates.js';
import { AppError, conflict, IssueCollector } from '../../../core/errors.js';
import { assertWithinLimit, STAGE_INTERVAL_MINUTES_RANGE } from '../../../core/limits.js';
import { checkLocalPart } from '../../../core/local-part.js';
import { checkPersonName } from '../../../core/person-name.js';
import { checkQuotaMb, DEFAULT_QUOTA_MB } from '../../../core/quota.js';
import type { DomainRecord } from '../../../store/domains.js';
import { readLimits } from '../../../store/limits.js';
import { takenAddresses } from '../../../store/mailboxes.js';
import type { Database } from '../../../store/schema.js';
import type { Actor, ServiceContext } from '../../context.js';
import { bulkCooldownRule, cooldownError, cooldownState, type CooldownState } from './cooldown.js';
import { requireDomain } from '../../domains/get-domain.js';
import {
  assertCapacity,
  capacityUsage,
  type CapacityUsage,
} from '../../mailboxes/support/mailbox-capacity.js';
import {
  checkDownloadedPasswordChoice,
  type PasswordChoice,
} from '../../mailboxes/support/password-choice.js';

export interface BulkMailboxesInput {
  name: string;
  domain: string;
  count: number;
  password: PasswordChoice;
  quotaMb?: number;
  stages?: { size: number; intervalMinutes: number };
  /** Laid over the account's defaults when the job creates each mailbox. */
  sending?: SendingInput;
}

/** How the account's limits stand if the batch is accepted; the preview shows this. */
export interface LimitsAfter {
  maxBulkCount: { max: number; requested: number };
  mailboxesPerDomain: { domain: string; usage: number; max: number; after: number };
  domainQuotaMb: { domain: string; usage: number; max: number; after: number };
  mailboxesPerHour: { usage: number; max: number; after: number };
  cooldown: CooldownState & { startsAfterThis: boolean };
}

export interface BulkPlan {
  domain: DomainRecord;
  name: string;
  quotaMb: number;
  addresses: PlannedAddress[];
  /** Undefined when every mailbox gets its own generated password. */
  manualPassword?: string;
  stages?: { size: number; intervalSeconds: number };
  limits: LimitsAfter;
}

/** Field rules that need no database: checked before anything else. */
export function checkBulkInput(input: BulkMailboxesInput) {
  const issues = new IssueCollector();
  const name = issues.check('name', checkPersonName(input.name));
  const quotaMb = issues.check('quotaMb', checkQuotaMb(input.quotaMb ?? DEFAULT_QUOTA_MB));
  if (!Number.isInteger(input.count) || input.count < 1) {
    issues.add('count', 'count_out_of_range', 'Enter a Number of mailboxes of at least 1.');
  }
  const password = issues.attempt(() => checkDownloadedPasswordChoice(input.password, { name }));
  let stages: BulkPlan['stages'];
  if (input.stages) {
    const { size, intervalMinutes } = input.stages;
    if (!Number.isInteger(size) || size < 1) {
      issues.add('stages.size', 'stage_out_of_range', 'Enter a stage size of at least 1 mailbox.');
    }
    const [min, max] = STAGE_INTERVAL_MINUTES_RANGE;
    if (!Number.isInteger(intervalMinutes) || intervalMinutes < min || intervalMinutes > max) {
      issues.add(
        'stages.intervalMinutes',
        'stage_out_of_range',
        `Enter minutes between stages from ${min} to ${max}.`,
      );
    }
    stages = { size, intervalSeconds: intervalMinutes * 60 };
  }
  if (input.sending) checkSendingInput(input.sending, issues);
  issues.throwIfAny();
  return { name: name!, quotaMb: quotaMb!, password: password!, stages };
}

/** One hostname of a request and the personas whose addresses it gets, in order. */
export interface HostnameRequest {
  domain: string;
  /** The request field naming the hostname, for a 404 or 409. */
  domainField: string;
  picks: {
    name: string;
    count: number;
    /** The error when the persona has fewer free realistic addresses than `count`. */
    shortage: (free: number, domain: string) => AppError;
  }[];
}

export interface PlannedAddress {
  localPart: string;
  address: string;
  name: string;
}

/** How one hostname's slots and storage pool stand once the batch is accepted. */
export interface HostnameLimitsAfter {
  mailboxesPerDomain: { domain: string; usage: number; max: number; after: number };
  domainQuotaMb: { domain: string; usage: number; max: number; after: number };
}

export interface HostnamesPlan {
  hostnames: { domain: DomainRecord; addresses: PlannedAddress[]; limits: HostnameLimitsAfter }[];
  limits: Pick<LimitsAfter, 'maxBulkCount' | 'mailboxesPerHour' | 'cooldown'>;
}

/**
 * Decides exactly which mailboxes a request over one or more hostnames creates, or why it
 * cannot: maxBulkCount and the hour for the whole request, slots and storage per hostname, the
 * cooldown, and realistic free addresses. Called without a lock for a preview, and inside the
 * account lock to accept a request, so both answer the same way for the same state.
 */
export async function planHostnames(
  ctx: ServiceContext,
  actor: Actor,
  db: Kysely<Database>,
  hosts: HostnameRequest[],
  opts: { preview: boolean; quotaMb: number; countField: string; maxBulkHint: string },
): Promise<HostnamesPlan> {
  const domains: DomainRecord[] = [];
  for (const host of hosts) {
    const domain = await requireDomain(ctx, actor, host.domain, host.domainField, db);
    if (domain.status !== 'verified') {
      throw conflict(
        'domain_not_verified',
        `${domain.name} is not verified yet: publish its TXT record and verify the domain, then create mailboxes.`,
      );
    }
    domains.push(domain);
  }
  const counts = hosts.map((h) => h.picks.reduce((sum, p) => sum + p.count, 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const now = ctx.clock();
  const limits = await readLimits(db, actor.accountId);
  assertWithinLimit({
    limit: 'maxBulkCount',
    field: opts.countField,
    usage: 0,
    requested: total,
    max: limits.maxBulkCount,
    hint: opts.maxBulkHint,
  });
  const cooldown = await cooldownState(db, actor.accountId, now, bulkCooldownRule(limits));
  // A preview shows a running cooldown instead of failing, so a form can count it down.
  if (cooldown.active && !opts.preview) throw cooldownError(cooldown, now, 'a large bulk request');

  const usages: CapacityUsage[] = [];
  for (const [i, domain] of domains.entries()) {
    const usage = await capacityUsage(db, domain, limits, now);
    assertCapacity(usage, domain.name, {
      count: counts[i]!,
      quotaMb: counts[i]! * opts.quotaMb,
      countField: opts.countField,
      hourlyCount: total,
    });
    usages.push(usage);
  }

  const hostnames: HostnamesPlan['hostnames'] = [];
  for (const [i, domain] of domains.entries()) {
    const usage = usages[i]!;
    hostnames.push({
      domain,
      addresses: await freeAddresses(db, domain.name, hosts[i]!.picks),
      limits: {
        mailboxesPerDomain: {
          domain: domain.name,
          usage: usage.mailboxesPerDomain.usage,
          max: usage.mailboxesPerDomain.max,
          after: usage.mailboxesPerDomain.usage + counts[i]!,
        },
        domainQuotaMb: {
          domain: domain.name,
          ...usage.domainQuotaMb,
          after: usage.domainQuotaMb.usage + counts[i]! * opts.quotaMb,
        },
      },
    });
  }
  const hour = usages[0]?.mailboxesPerHour ?? { usage: 0, max: limits.maxMailboxesPerHour };
  return {
    hostnames,
    limits: {
      maxBulkCount: { max: limits.maxBulkCount, requested: total },
      mailboxesPerHour: { ...hour, after: hour.usage + total },
      cooldown: { ...cooldown, startsAfterThis: total > limits.cooldownThreshold },
    },
  };
}

/** Each persona's first free candidates on the hostname, never one an earlier persona took. */
async function freeAddresses(
  db: Kysely<Database>,
  domain: string,
  picks: HostnameRequest['picks'],
): Promise<PlannedAddress[]> {
  const perPick = picks.map((p) =>
    addressCandidates(p.name)
      .filter((local) => checkLocalPart(local, domain).ok)
      .map((localPart) => ({ localPart, address: `${localPart}@${domain}`, name: p.name })),
  );
  const taken = await takenAddresses(
    db,
    perPick.flat().map((c) => c.address),
  );
  const chosen: PlannedAddress[] = [];
  picks.forEach((pick, i) => {
    const free = perPick[i]!.filter((c) => !taken.has(c.address));
    if (free.length < pick.count) throw pick.shortage(free.length, domain);
    for (const c of free.slice(0, pick.count)) {
      taken.add(c.address);
      chosen.push(c);
    }
  });
  return chosen;
}

/** A bulk request: one persona, `count` addresses on one hostname. */
export async function planBulkMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  db: Kysely<Database>,
  input: BulkMailboxesInput,
  opts: { preview: boolean; checked?: ReturnType<typeof checkBulkInput> },
): Promise<BulkPlan> {
  // `opts.checked`: the input already through `checkBulkInput`, so its password strength check
  // (zxcvbn, a few ms) runs before the lock rather than while every other request waits.
  const checked = opts.checked ?? checkBulkInput(input);
  const plan = await planHostnames(
    ctx,
    actor,
    db,
    [
      {
        domain: input.domain,
        domainField: 'domain',
        picks: [
          { name: checked.name, count: input.count, shortage: notEnoughForBulk(checked.name) },
        ],
      },
    ],
    {
      preview: opts.preview,
      quotaMb: checked.quotaMb,
      countField: 'count',
      maxBulkHint: 'Lower Number of mailboxes, or roll the batch out in several requests.',
    },
  );
  const host = plan.hostnames[0]!;
  return {
    domain: host.domain,
    name: checked.name,
    quotaMb: checked.quotaMb,
    addresses: host.addresses,
    ...(checked.password.generated ? {} : { manualPassword: checked.password.plain }),
    ...(checked.stages ? { stages: checked.stages } : {}),
    limits: { ...plan.limits, ...host.limits },
  };
}

const notEnoughForBulk = (name: string) => (free: number, domain: string) => {
  const message =
    `"${name}" yields only ${free} free realistic address${free === 1 ? '' : 'es'} on ${domain}: ` +
    `lower Number of mailboxes to ${free}, use another name, or use another domain or sub-domain.`;
  return new AppError(
    'validation',
    'not_enough_addresses',
    message,
    [{ field: 'count', code: 'not_enough_addresses', message }],
    { possible: free },
  );
};
