import {
  dayResetsAt,
  hourResetsAt,
  judgeSend,
  limitReachedText,
  sendWindows,
} from '../../core/sending.js';
import { appendEvents, type NewEvent } from '../../store/events.js';
import { countSends, dropStaleMinutes, findSenders, lockSenders } from '../../store/send-counts.js';
import type { ServiceContext } from '../context.js';
import { toSendingPolicy } from '../mailboxes/support/sending-view.js';

export type SendDecision = { allowed: true } | { allowed: false; text: string };

type Context = Pick<ServiceContext, 'store' | 'clock'>;

/** A SASL login as the mailbox address it names. */
const senderAddress = (login: string): string => login.trim().toLowerCase();

/**
 * The mail plane's question at each RCPT of an authenticated submission, for several at once:
 * may each login send to one more recipient? Decided in order (a login named twice gets its
 * second answer after its first is counted) and counted, in one transaction: lock, read,
 * judge, write. The lock comes first, so concurrent transactions for one login (in this
 * process or another on the same database) never send past the limit together. A login that is
 * no active mailbox is not ours to judge: Postfix's own checks refuse it.
 */
export async function checkSends(ctx: Context, logins: string[]): Promise<SendDecision[]> {
  const addresses = logins.map(senderAddress);
  const distinct = [...new Set(addresses)];
  const now = ctx.clock();
  const windows = sendWindows(now);
  return ctx.store.db.transaction().execute(async (trx) => {
    await lockSenders(trx, distinct, windows.day);
    const senders = await findSenders(trx, distinct, windows);
    const counted = new Map<string, number>();
    const events: NewEvent[] = [];
    const decisions = addresses.map((address): SendDecision => {
      const sender = senders.get(address);
      if (!sender) return { allowed: true };
      const policy = toSendingPolicy(sender);
      const sent = sender.sent;
      const verdict = judgeSend(policy, now, sent);
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
      sent.today++;
      sent.thisHour++;
      sent.oldestMinute ??= windows.minute;
      counted.set(sender.id, (counted.get(sender.id) ?? 0) + 1);
      if (verdict.reachedLimit) {
        // Once per window: the recipient that uses up the allowance, not every refusal after it.
        events.push({
          accountId: sender.account_id,
          actor: 'mail-plane',
          action: 'mailbox.send_limit_reached',
          target: sender.address,
          details: {
            limit: verdict.reachedLimit,
            max: verdict.reachedLimit === 'daily' ? sent.today : policy.hourlyLimit,
          },
          now: now.toISOString(),
        });
      }
      return { allowed: true };
    });
    await countSends(
      trx,
      [...counted].map(([mailboxId, count]) => ({ mailboxId, count })),
      windows,
    );
    const stale = [...senders.values()].filter((s) => s.staleMinutes).map((s) => s.id);
    await dropStaleMinutes(trx, stale, windows.hourSince);
    if (events.length > 0) await appendEvents(trx, events);
    return decisions;
  });
}

/** One decision in its own transaction. */
export async function checkSend(ctx: Context, login: string): Promise<SendDecision> {
  const [decision] = await checkSends(ctx, [login]);
  return decision!;
}

/**
 * Transactions deciding at once on PostgreSQL, each on its own pool connection (SQLite has one
 * connection and one writer: one). More would only wait for the disk's commit flush together,
 * and leave fewer of the pool's connections to the rest of the process.
 */
const POSTGRES_BATCHES = 4;
/** Decisions one transaction takes at most, which bounds its statements' parameter lists. */
const MAX_BATCH = 500;

interface Waiting {
  address: string;
  login: string;
  resolve(decision: SendDecision): void;
  reject(error: unknown): void;
}

/**
 * `checkSend` for a server answering many sessions at once, by group commit: the decisions
 * that arrive while a transaction is under way wait and go together into the next one, and each
 * is answered when it commits. A decision thus costs a share of one transaction's statements
 * and commit (SQLite's write lock, PostgreSQL's round trips and WAL flush) instead of a whole
 * one. On PostgreSQL several transactions run at once for different logins; one login's
 * decisions are never split across two running transactions, so they never wait on each
 * other's row lock in this process, and stay in arrival order.
 */
export function sendGate(ctx: Context): (login: string) => Promise<SendDecision> {
  const slots = ctx.store.dialect === 'postgres' ? POSTGRES_BATCHES : 1;
  let waiting: Waiting[] = [];
  const deciding = new Set<string>();
  let running = 0;
  let scheduled = false;

  /** The next batch: every waiting decision of a share of the logins not being decided. */
  const take = (): Waiting[] => {
    const free = [...new Set(waiting.map((w) => w.address))].filter((a) => !deciding.has(a));
    const share = new Set(free.slice(0, Math.ceil(free.length / (slots - running))));
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const w of waiting)
      (share.has(w.address) && batch.length < MAX_BATCH ? batch : rest).push(w);
    waiting = rest;
    return batch;
  };

  const start = (batch: Waiting[]) => {
    const addresses = new Set(batch.map((w) => w.address));
    for (const a of addresses) deciding.add(a);
    running++;
    checkSends(
      ctx,
      batch.map((w) => w.login),
    )
      .then(
        (decisions) => batch.forEach((w, i) => w.resolve(decisions[i]!)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        for (const a of addresses) deciding.delete(a);
        running--;
        pump();
      });
  };

  const pump = () => {
    while (running < slots) {
      const batch = take();
      if (batch.length === 0) return;
      start(batch);
    }
  };

  return (login) =>
    new Promise((resolve, reject) => {
      waiting.push({ address: senderAddress(login), login, resolve, reject });
      // After the other sockets' requests read in this turn of the event loop, so they join.
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          pump();
        });
      }
    });
}
