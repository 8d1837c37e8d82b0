import type { Limits } from '../../core/limits.js';
import { countRootDomains, mailboxesSince, readLimits } from '../../store/limits.js';
import type { Actor, ServiceContext } from '../context.js';
import {
  bulkCooldownRule,
  bulkDeleteCooldownRule,
  cooldownState,
  type CooldownState,
} from '../bulk/support/cooldown.js';
import { hourlyWindowStart } from '../mailboxes/support/mailbox-capacity.js';

export interface LimitsOverview {
  limits: Limits;
  usage: { domains: number; mailboxesLastHour: number };
  cooldowns: {
    bulkMailboxes: CooldownState;
    bulkDeleteDomains: CooldownState;
    bulkDeleteMailboxes: CooldownState;
  };
}

/** What the account may do, how much of it is used, and any running cooldown. */
export async function getLimits(ctx: ServiceContext, actor: Actor): Promise<LimitsOverview> {
  const db = ctx.store.db;
  const now = ctx.clock();
  const limits = await readLimits(db, actor.accountId);
  return {
    limits,
    usage: {
      domains: await countRootDomains(db, actor.accountId),
      mailboxesLastHour: await mailboxesSince(db, actor.accountId, hourlyWindowStart(now)),
    },
    cooldowns: {
      bulkMailboxes: await cooldownState(db, actor.accountId, now, bulkCooldownRule(limits)),
      bulkDeleteDomains: await cooldownState(
        db,
        actor.accountId,
        now,
        bulkDeleteCooldownRule('bulk_delete_domains'),
      ),
      bulkDeleteMailboxes: await cooldownState(
        db,
        actor.accountId,
        now,
        bulkDeleteCooldownRule('bulk_delete_mailboxes'),
      ),
    },
  };
}
