import type { Kysely } from 'kysely';
import { AppError, IssueCollector } from '../../../core/errors.js';
import { checkPersonName } from '../../../core/person-name.js';
import { checkQuotaMb, DEFAULT_QUOTA_MB } from '../../../core/quota.js';
import { checkSendingInput, type SendingInput } from '../../../core/sending.js';
import {
  MAX_SPREAD_DOMAINS,
  MAX_SPREAD_PERSONAS,
  spreadAssignments,
} from '../../../core/spread.js';
import { assertListSize } from '../../../core/limits.js';
import type { Database } from '../../../store/schema.js';
import type { Actor, ServiceContext } from '../../context.js';
import {
  checkDownloadedPasswordChoice,
  type PasswordChoice,
} from '../../mailboxes/support/password-choice.js';
import { planHostnames, type HostnamesPlan } from './bulk-plan.js';

export interface SpreadMailboxesInput {
  domains: string[];
  personas: { name: string }[];
  perDomain: number;
  password: PasswordChoice;
  quotaMb?: number;
  sending?: SendingInput;
}

export interface SpreadPlan extends HostnamesPlan {
  quotaMb: number;
  /** Undefined when every mailbox gets its own generated password. */
  manualPassword?: string;
}

/** Field rules that need no database: checked before the account lock. */
export function checkSpreadInput(input: SpreadMailboxesInput) {
  assertListSize('domains', input.domains.length, MAX_SPREAD_DOMAINS, 'domains');
  assertListSize('personas', input.personas.length, MAX_SPREAD_PERSONAS, 'personas');
  const issues = new IssueCollector();
  if (input.domains.length === 0) issues.add('domains', 'required', 'Enter at least one domain.');
  const seen = new Set<string>();
  input.domains.forEach((d, i) => {
    const key = d.trim().toLowerCase();
    if (seen.has(key)) {
      issues.add(
        `domains.${i}`,
        'duplicate_domain',
        `${d} is listed twice: list each domain once.`,
      );
    }
    seen.add(key);
  });
  if (input.personas.length === 0) {
    issues.add('personas', 'required', 'Enter at least one persona, like "Josh Smith".');
  }
  const names = input.personas.map((p, i) =>
    issues.check(`personas.${i}.name`, checkPersonName(p.name)),
  );
  if (
    !Number.isInteger(input.perDomain) ||
    input.perDomain < 1 ||
    input.perDomain > Math.max(1, input.personas.length)
  ) {
    issues.add(
      'perDomain',
      'per_domain_out_of_range',
      `Enter mailboxes per domain from 1 to the number of personas (${input.personas.length}).`,
    );
  }
  const quotaMb = issues.check('quotaMb', checkQuotaMb(input.quotaMb ?? DEFAULT_QUOTA_MB));
  const password = issues.attempt(() =>
    checkDownloadedPasswordChoice(input.password, names[0] ? { name: names[0] } : {}),
  );
  if (input.sending) checkSendingInput(input.sending, issues);
  issues.throwIfAny();
  return { names: names as string[], quotaMb: quotaMb!, password: password! };
}

/** A spread: the personas of `spreadAssignments` on every hostname, one address each. */
export async function planSpreadMailboxes(
  ctx: ServiceContext,
  actor: Actor,
  db: Kysely<Database>,
  input: SpreadMailboxesInput,
  opts: { preview: boolean; checked?: ReturnType<typeof checkSpreadInput> },
): Promise<SpreadPlan> {
  const checked = opts.checked ?? checkSpreadInput(input);
  const personas = checked.names.map((name, index) => ({ name, index }));
  const hosts = spreadAssignments(input.domains, personas, input.perDomain).map((h, i) => ({
    domain: h.domain,
    domainField: `domains.${i}`,
    picks: h.personas.map((p) => ({ name: p.name, count: 1, shortage: noAddressLeft(p) })),
  }));
  const plan = await planHostnames(ctx, actor, db, hosts, {
    preview: opts.preview,
    quotaMb: checked.quotaMb,
    countField: 'perDomain',
    maxBulkHint: 'List fewer domains, lower perDomain, or spread the fleet over several requests.',
  });
  return {
    ...plan,
    quotaMb: checked.quotaMb,
    ...(checked.password.generated ? {} : { manualPassword: checked.password.plain }),
  };
}

const noAddressLeft =
  (persona: { name: string; index: number }) => (_free: number, domain: string) => {
    const message =
      `"${persona.name}" has no free realistic address left on ${domain}: ` +
      'use another persona, or leave that domain out.';
    const field = `personas.${persona.index}.name`;
    return new AppError(
      'validation',
      'not_enough_addresses',
      message,
      [{ field, code: 'not_enough_addresses', message }],
      { domain, possible: 0 },
    );
  };
