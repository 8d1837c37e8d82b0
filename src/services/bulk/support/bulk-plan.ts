import { checkSendingInput, type SendingInput } from '../../../core/sending.js';
import type { Kysely } from 'kysely';
import { addressCandidates } from '../../../core/address-candidates.js';
import { AppError, conflict, IssueCollector } from '../../../core/errors.js';
import {
  assertWithinLimit,
  STAGE_INTERVAL_MINUTES_RANGE,
  type Limits,
} from '../../../core/limits.js';
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
  checkPasswordChoice,
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
  addresses: { localPart: string; address: string }[];
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
  const password = issues.attempt(() => checkPasswordChoice(input.password, { name }));
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

/**
 * Decides exactly which mailboxes a bulk request creates, or why it cannot: limits, cooldown,
 * and realistic free addresses. Called without a lock for a preview, and inside the account
 * lock to accept a request, so both answer the same way for the same state. `opts.checked`:
 * the input already through `checkBulkInput`, so its password strength check (zxcvbn, a few ms)
 * runs before the lock rather than while every other request of the account waits.
 */
export async function planBulkMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  db: Kysely<Database>,
  input: BulkMailboxesInput,
  opts: { preview: boolean; checked?: ReturnType<typeof checkBulkInput> },
): Promise<BulkPlan> {
  const checked = opts.checked ?? checkBulkInput(input);
  const domain = await requireDomain(ctx, actor, input.domain, 'domain', db);
  if (domain.status !== 'verified') {
    throw conflict(
      'domain_not_verified',
      `${domain.name} is not verified yet: publish its TXT record and verify the domain, then create mailboxes.`,
    );
  }
  const now = ctx.clock();
  const limits = await readLimits(db, actor.accountId);
  assertWithinLimit({
    limit: 'maxBulkCount',
    field: 'count',
    usage: 0,
    requested: input.count,
    max: limits.maxBulkCount,
    hint: 'Lower Number of mailboxes, or roll the batch out in several requests.',
  });
  const cooldown = await cooldownState(db, actor.accountId, now, bulkCooldownRule(limits));
  // A preview shows a running cooldown instead of failing, so a form can count it down.
  if (cooldown.active && !opts.preview) throw cooldownError(cooldown, now, 'a large bulk request');

  const usage = await capacityUsage(db, domain, limits, now);
  assertCapacity(usage, domain.name, {
    count: input.count,
    quotaMb: input.count * checked.quotaMb,
    countField: 'count',
  });

  const candidates = addressCandidates(checked.name)
    .filter((local) => checkLocalPart(local, domain.name).ok)
    .map((localPart) => ({ localPart, address: `${localPart}@${domain.name}` }));
  const taken = await takenAddresses(
    db,
    candidates.map((c) => c.address),
  );
  const free = candidates.filter((c) => !taken.has(c.address));
  if (free.length < input.count) {
    const message =
      `"${checked.name}" yields only ${free.length} free realistic address${free.length === 1 ? '' : 'es'} on ${domain.name}: ` +
      `lower Number of mailboxes to ${free.length}, use another name, or use another domain or sub-domain.`;
    throw new AppError(
      'validation',
      'not_enough_addresses',
      message,
      [{ field: 'count', code: 'not_enough_addresses', message }],
      {
        possible: free.length,
      },
    );
  }

  return {
    domain,
    name: checked.name,
    quotaMb: checked.quotaMb,
    addresses: free.slice(0, input.count),
    ...(checked.password.generated ? {} : { manualPassword: checked.password.plain }),
    ...(checked.stages ? { stages: checked.stages } : {}),
    limits: limitsAfter(usage, limits, domain.name, input.count, checked.quotaMb, cooldown),
  };
}

function limitsAfter(
  usage: CapacityUsage,
  limits: Limits,
  domain: string,
  count: number,
  quotaMb: number,
  cooldown: CooldownState,
): LimitsAfter {
  return {
    maxBulkCount: { max: limits.maxBulkCount, requested: count },
    mailboxesPerDomain: {
      domain,
      usage: usage.mailboxesPerDomain.usage,
      max: usage.mailboxesPerDomain.max,
      after: usage.mailboxesPerDomain.usage + count,
    },
    domainQuotaMb: {
      domain,
      ...usage.domainQuotaMb,
      after: usage.domainQuotaMb.usage + count * quotaMb,
    },
    mailboxesPerHour: { ...usage.mailboxesPerHour, after: usage.mailboxesPerHour.usage + count },
    cooldown: { ...cooldown, startsAfterThis: count > limits.cooldownThreshold },
  };
}
