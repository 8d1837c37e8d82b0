import {
  dayResetsAt,
  hourResetsAt,
  judgeSend,
  limitReachedText,
  sendWindows,
} from '../../core/sending.js';
import { appendEvent } from '../../store/events.js';
import { countSend, findSender, lockSendCounter, sentCounts } from '../../store/send-counts.js';
import type { ServiceContext } from '../context.js';
import { toSendingPolicy } from '../mailboxes/support/sending-view.js';

export type SendDecision = { allowed: true } | { allowed: false; text: string };

/**
 * The mail plane's question at each RCPT of an authenticated submission: may `login` send to
 * one more recipient? Counts it when it may. The lock, the read and the increment are one
 * transaction, so concurrent sessions of one login (in this process or another on the same
 * database) never send past the limit together. A login that is no active mailbox is not ours
 * to judge: Postfix's own checks refuse it.
 */
export async function checkSend(
  ctx: Pick<ServiceContext, 'store' | 'clock'>,
  login: string,
): Promise<SendDecision> {
  const sender = await findSender(ctx.store.db, login.trim().toLowerCase());
  if (!sender) return { allowed: true };
  const now = ctx.clock();
  const windows = sendWindows(now);
  const policy = toSendingPolicy(sender);
  return ctx.store.db.transaction().execute(async (trx) => {
    await lockSendCounter(trx, sender.id, windows.day);
    const sent = (await sentCounts(trx, [sender.id], windows)).get(sender.id)!;
    const verdict = judgeSend(policy, now, { today: sent.today, thisHour: sent.thisHour });
    if (!verdict.allowed) {
      const resetsAt =
        verdict.limit === 'daily'
          ? dayResetsAt(now)
          : hourResetsAt(sent.oldestMinute ?? windows.minute);
      return {
        allowed: false,
        text: limitReachedText(sender.address, verdict.limit, verdict.max, resetsAt),
      };
    }
    await countSend(trx, sender.id, windows);
    if (verdict.reachedLimit) {
      // Once per window: the recipient that uses up the allowance, not every refusal after it.
      await appendEvent(trx, {
        accountId: sender.account_id,
        actor: 'mail-plane',
        action: 'mailbox.send_limit_reached',
        target: sender.address,
        details: {
          limit: verdict.reachedLimit,
          max: verdict.reachedLimit === 'daily' ? sent.today + 1 : policy.hourlyLimit,
        },
        now: now.toISOString(),
      });
    }
    return { allowed: true };
  });
}
