import type { Kysely } from 'kysely';
import { assertWithinLimit, type Limits } from '../../../core/limits.js';
import type { DomainRecord } from '../../../store/domains.js';
import {
  capacityCounts,
  domainCapacity,
  type AddressHolder,
  type CreationDomain,
} from '../../../store/limits.js';
import { insertMailboxCounted, type CountedCreation } from '../../../store/mailbox-creation.js';
import type { Database } from '../../../store/schema.js';

export interface CapacityUsage {
  /** Slots of the hostname: mailboxes plus planned ones. */
  mailboxesPerDomain: {
    usage: number;
    max: number;
    limit: 'mailboxLimit' | 'maxMailboxesPerDomain';
  };
  /** The hostname's storage pool in MB. */
  domainQuotaMb: { usage: number; max: number };
  mailboxesPerHour: { usage: number; max: number };
}

/** Start of the window `maxMailboxesPerHour` counts: the last hour, on the service clock. */
export const hourlyWindowStart = (now: Date): string =>
  new Date(now.getTime() - 3_600_000).toISOString();

/** Where one hostname and its account stand; the account must be locked for an exact answer. */
export async function capacityUsage(
  db: Kysely<Database>,
  domain: DomainRecord,
  limits: Limits,
  now: Date,
): Promise<CapacityUsage> {
  return toUsage(await capacityCounts(db, countsOf(domain, now)), domain, limits);
}

/**
 * A single creation's mailbox and event inserted under the account lock, with capacityUsage,
 * the account's limits and whether a mailbox or an alias held the address as they stood just
 * before (store/mailbox-creation.ts): a refusal from them must throw inside the transaction,
 * which rolls the inserts back.
 */
export async function insertCounted(
  db: Kysely<Database>,
  domain: CapacityDomain,
  now: Date,
  creation: Omit<CountedCreation, 'since'>,
): Promise<{ usage: CapacityUsage; holder: AddressHolder; limits: Limits }> {
  const counts = await insertMailboxCounted(db, { ...creation, since: hourlyWindowStart(now) });
  return {
    usage: toUsage(counts, domain, counts.limits),
    holder: counts.holder,
    limits: counts.limits,
  };
}

/**
 * What a single creation checks before it hashes, in one round trip: the hostname `name` of the
 * account, capacityUsage, the account's limits and whether a mailbox or an alias holds
 * `address`. Undefined when the account has no such hostname.
 */
export async function domainCapacityAt(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  now: Date,
  address: string | undefined,
): Promise<
  | { domain: CreationDomain; usage: CapacityUsage; holder: AddressHolder; limits: Limits }
  | undefined
> {
  const found = await domainCapacity(db, {
    accountId,
    name,
    since: hourlyWindowStart(now),
    ...(address === undefined ? {} : { address }),
  });
  if (!found) return undefined;
  return {
    domain: found.domain,
    usage: toUsage(found, found.domain, found.limits),
    holder: found.holder,
    limits: found.limits,
  };
}

type CapacityDomain = Pick<
  DomainRecord,
  'id' | 'account_id' | 'mailbox_limit' | 'quota_mb' | 'effective_mailbox_limit'
>;

const countsOf = (domain: CapacityDomain, now: Date) => ({
  domainId: domain.id,
  accountId: domain.account_id,
  since: hourlyWindowStart(now),
});

function toUsage(
  counts: { mailboxes: number; quotaMb: number; createdSince: number },
  domain: CapacityDomain,
  limits: Limits,
): CapacityUsage {
  return {
    mailboxesPerDomain: {
      usage: counts.mailboxes,
      max: domain.effective_mailbox_limit,
      // Name the limit the user can act on: the hostname's own, or the account's default.
      limit: domain.mailbox_limit === null ? 'maxMailboxesPerDomain' : 'mailboxLimit',
    },
    domainQuotaMb: { usage: counts.quotaMb, max: domain.quota_mb },
    mailboxesPerHour: { usage: counts.createdSince, max: limits.maxMailboxesPerHour },
  };
}

/**
 * Refuses `count` more mailboxes with `quotaMb` of quota between them on a hostname when a slot,
 * storage or hourly limit would be passed. Every path that creates mailboxes (single, bulk,
 * import) calls it.
 */
export function assertCapacity(
  usage: CapacityUsage,
  domainName: string,
  request: {
    count: number;
    quotaMb: number;
    countField: string;
    /** The whole request's count when it spans several hostnames: the hour is the account's. */
    hourlyCount?: number;
  },
): void {
  assertWithinLimit({
    field: request.countField,
    ...usage.mailboxesPerDomain,
    requested: request.count,
    hint: `Use another domain or sub-domain, or raise ${domainName}'s mailboxLimit.`,
  });
  assertWithinLimit({
    limit: `${domainName}'s storage pool`,
    code: 'domain_quota_exceeded',
    field: 'quotaMb',
    ...usage.domainQuotaMb,
    requested: request.quotaMb,
    unit: ' MB',
    hint: `Give each mailbox a smaller quota, or raise ${domainName}'s quotaMb.`,
  });
  assertWithinLimit({
    limit: 'maxMailboxesPerHour',
    field: request.countField,
    ...usage.mailboxesPerHour,
    requested: request.hourlyCount ?? request.count,
    hint: 'Wait for the hourly window to move on, or split the batch into stages.',
  });
}
