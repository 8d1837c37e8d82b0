import {
  dayResetsAt,
  hourResetsAt,
  judgeSend,
  limitReachedText,
  sendWindows,
} from '../../core/sending.js';
import { appendEvents, type NewEvent } from '../../store/events.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import {
  countIfUnchanged,
  countSends,
  dropStaleMinutes,
  findSenders,
  lockSenders,
  POLICY_COLUMNS,
  type PolicyRow,
  type Sender,
  type SentCounts,
  type Windows,
} from '../../store/send-counts.js';
import type { ServiceContext } from '../context.js';
import { toSendingPolicy } from '../mailboxes/support/sending-view.js';

export type SendDecision = { allowed: true } | { allowed: false; text: string };

type Context = Pick<ServiceContext, 'store' | 'clock'>;

/** A SASL login as the mailbox address it names. */
const senderAddress = (login: string): string => login.trim().toLowerCase();

/** A login's mailbox as a batch judges it: who it is, its policy, what it sent. */
type Judged = Pick<Sender, 'id' | 'account_id' | 'address' | 'sent'> & PolicyRow;

/**
 * Decides `addresses` in order against `senders` (a login named twice gets its second answer
 * after its first is counted), counting each allowed recipient into its sender's `sent`.
 * Returns the answers, how many each mailbox was allowed, and the limit events (once per
 * window: the recipient that uses up the allowance, not every refusal after it).
 */
function judgeBatch(
  addresses: string[],
  senders: ReadonlyMap<string, Judged>,
  now: Date,
  windows: Windows,
): {
  decisions: SendDecision[];
  counted: Map<string, number>;
  events: (NewEvent & { mailboxId: string })[];
} {
  const counted = new Map<string, number>();
  const events: (NewEvent & { mailboxId: string })[] = [];
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
      events.push({
        mailboxId: sender.id,
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
  return { decisions, counted, events };
}

const withoutMailboxId = ({ mailboxId: _, ...event }: NewEvent & { mailboxId: string }) => event;

/**
 * Decides in one transaction: lock, read, judge, write. The lock comes first, so concurrent
 * transactions for one login (in this process or another on the same database) never send past
 * the limit together. Returns the answers and, for each login that is a mailbox, its counts as
 * committed.
 */
async function decideLocked(
  ctx: Context,
  addresses: string[],
  now: Date,
  windows: Windows,
): Promise<{ decisions: SendDecision[]; senders: Map<string, Sender> }> {
  const distinct = [...new Set(addresses)];
  return ctx.store.db.transaction().execute(async (trx) => {
    await lockSenders(trx, distinct, windows.day);
    const senders = await findSenders(trx, distinct, windows);
    const { decisions, counted, events } = judgeBatch(addresses, senders, now, windows);
    await countSends(
      trx,
      [...counted].map(([mailboxId, count]) => ({ mailboxId, count })),
      windows,
    );
    const stale = [...senders.values()].filter((s) => s.staleMinutes).map((s) => s.id);
    await dropStaleMinutes(trx, stale, windows.hourSince);
    if (events.length > 0) await appendEvents(trx, events.map(withoutMailboxId));
    for (const sender of senders.values()) {
      const added = counted.get(sender.id);
      if (added)
        sender.minutes.set(windows.minute, (sender.minutes.get(windows.minute) ?? 0) + added);
    }
    return { decisions, senders };
  });
}

/**
 * The mail plane's question at each RCPT of an authenticated submission, for several at once:
 * may each login send to one more recipient? Decided in order and counted, in one transaction
 * (`decideLocked`). A login that is no active mailbox is not ours to judge: Postfix's own
 * checks refuse it.
 */
export async function checkSends(ctx: Context, logins: string[]): Promise<SendDecision[]> {
  const now = ctx.clock();
  const { decisions } = await decideLocked(ctx, logins.map(senderAddress), now, sendWindows(now));
  return decisions;
}

/** One decision in its own transaction. */
export async function checkSend(ctx: Context, login: string): Promise<SendDecision> {
  const [decision] = await checkSends(ctx, [login]);
  return decision!;
}

/** Decisions one transaction takes at most, which bounds its statements' parameter lists. */
const MAX_BATCH = 500;
/** Logins whose counts a gate remembers at most; past it, it forgets them all and reads anew. */
const MAX_KNOWN = 10_000;
/** How long a gate waits for the sessions it just answered to ask again (see `sendGate`). */
const GATHER_MS = 1;

/** A mailbox's counts as this process last committed them (see `countIfUnchanged`). */
interface Known {
  id: string;
  account_id: string;
  address: string;
  policy: PolicyRow;
  /** The UTC day (`Windows.day`) `today` counts. */
  day: string;
  today: number;
  /** The minutes stored for it, old ones included until deleted. */
  minutes: Map<string, number>;
}

function toKnown(sender: Sender, day: string, hourSince: string): Known {
  const policy = Object.fromEntries(POLICY_COLUMNS.map((c) => [c, sender[c]])) as PolicyRow;
  const minutes = new Map([...sender.minutes].filter(([minute]) => minute >= hourSince));
  return {
    id: sender.id,
    account_id: sender.account_id,
    address: sender.address,
    policy,
    day,
    today: sender.sent.today,
    minutes,
  };
}

/** What a known mailbox sent in `w`'s day and rolling hour, from its remembered minutes. */
function knownSent(known: Known, w: Windows): { sent: SentCounts; stale: boolean } {
  const sent: SentCounts = { today: known.today, thisHour: 0, oldestMinute: null };
  let stale = false;
  for (const [minute, count] of known.minutes) {
    if (minute < w.hourSince) stale = true;
    else {
      sent.thisHour += count;
      if (sent.oldestMinute === null || minute < sent.oldestMinute) sent.oldestMinute = minute;
    }
  }
  return { sent, stale };
}

/**
 * Decisions for a process that remembers what it last committed for each login (`known`):
 * those it knows on today's day are judged on what it remembers and counted only if nothing
 * changed meanwhile (`countIfUnchanged`: on PostgreSQL one statement, one round trip and one
 * commit for the batch; on SQLite a comparing update and the minute upsert; instead of a
 * transaction of five statements that reads every minute of the hour again). A login it does
 * not know, or whose mailbox changed (another process counted for it, its policy was edited, it
 * was deactivated), is decided anew in a locking transaction (`decideLocked`), which it then
 * knows.
 */
async function decideKnown(
  ctx: Context,
  known: Map<string, Known>,
  logins: string[],
): Promise<SendDecision[]> {
  const addresses = logins.map(senderAddress);
  const now = ctx.clock();
  const windows = sendWindows(now);
  const decisions: (SendDecision | undefined)[] = addresses.map(() => undefined);
  const fresh = (address: string) => known.get(address)?.day === windows.day;
  const fast = addresses.map((a, i) => [a, i] as const).filter(([a]) => fresh(a));
  if (fast.length > 0) {
    const senders = new Map<string, Judged & { stale: boolean }>();
    for (const [address] of fast) {
      if (senders.has(address)) continue;
      const k = known.get(address)!;
      const { sent, stale } = knownSent(k, windows);
      senders.set(address, {
        ...k.policy,
        id: k.id,
        account_id: k.account_id,
        address,
        sent,
        stale,
      });
    }
    const judged = judgeBatch(
      fast.map(([a]) => a),
      senders,
      now,
      windows,
    );
    const changes = [...senders.values()].map((s) => ({
      mailboxId: s.id,
      address: s.address,
      policy: known.get(s.address)!.policy,
      today: known.get(s.address)!.today,
      newToday: s.sent.today,
      pruneMinutes: s.stale,
    }));
    const count = async (db: Kysely<Database>) => {
      const done = await countIfUnchanged(db, changes, windows);
      const events = judged.events.filter((e) => done.has(e.mailboxId));
      if (events.length > 0) await appendEvents(db, events.map(withoutMailboxId));
      return done;
    };
    let counted: Set<string>;
    try {
      counted =
        judged.events.length > 0
          ? await ctx.store.db.transaction().execute(count)
          : await count(ctx.store.db);
    } catch (error) {
      for (const address of senders.keys()) known.delete(address);
      throw error;
    }
    for (const s of senders.values()) {
      if (!counted.has(s.id)) {
        known.delete(s.address);
        continue;
      }
      const k = known.get(s.address)!;
      k.today = s.sent.today;
      if (s.stale)
        for (const minute of k.minutes.keys())
          if (minute < windows.hourSince) k.minutes.delete(minute);
      const added = judged.counted.get(s.id);
      if (added) k.minutes.set(windows.minute, (k.minutes.get(windows.minute) ?? 0) + added);
    }
    fast.forEach(([address, i], j) => {
      if (counted.has(senders.get(address)!.id)) decisions[i] = judged.decisions[j];
    });
  }
  const rest = decisions.flatMap((d, i) => (d === undefined ? [i] : []));
  if (rest.length > 0) {
    let locked: Awaited<ReturnType<typeof decideLocked>>;
    try {
      locked = await decideLocked(
        ctx,
        rest.map((i) => addresses[i]!),
        now,
        windows,
      );
    } catch (error) {
      for (const i of rest) known.delete(addresses[i]!);
      throw error;
    }
    if (known.size + locked.senders.size > MAX_KNOWN) known.clear();
    for (const sender of locked.senders.values()) {
      known.set(sender.address, toKnown(sender, windows.day, windows.hourSince));
    }
    rest.forEach((i, j) => (decisions[i] = locked.decisions[j]));
  }
  return decisions as SendDecision[];
}

interface Waiting {
  login: string;
  resolve(decision: SendDecision): void;
  reject(error: unknown): void;
}

/**
 * `checkSend` for a server answering many sessions at once, by group commit: the decisions
 * that arrive while a transaction is under way wait and go together into the next one, and each
 * is answered when it commits. A decision thus costs a share of one transaction's statements
 * and commit (SQLite's write lock, PostgreSQL's round trips and WAL flush) instead of a whole
 * one, and decisions for different logins share a transaction rather than wait on each other.
 * The gate remembers what it committed for each login (`decideKnown`), so a batch of logins it
 * knows is counted by comparing, not by reading every minute of the hour again under a lock.
 * One transaction at a time, on both dialects: several at once on PostgreSQL (each on its own
 * pool connection, different logins in each) split the same waiting decisions into smaller
 * transactions and decided fewer per second (2 shared cores, 8 sessions asking at once: about
 * 3,300 decisions/s with one transaction at a time, 2,000/s with two or four).
 *
 * On PostgreSQL, where each commit waits for its WAL flush (about 2.5 ms here), after a batch
 * the gate waits (at most GATHER_MS) for the sessions it just answered to ask again, as busy
 * ones do at once: without it they missed the next batch, and 8 sessions split into two
 * alternating batches of 4 (measured: 4.0 decisions a commit, 7.96 with the wait). A lone
 * session's next question satisfies the wait at once, so it costs nothing then. SQLite, whose
 * statements are calls in this process and whose commit is cheaper than the wait, decides
 * batch after batch as they come.
 */
export function sendGate(ctx: Context): (login: string) => Promise<SendDecision> {
  let waiting: Waiting[] = [];
  let running = false;
  let scheduled = false;
  const known = new Map<string, Known>();
  const gather = ctx.store.dialect === 'postgres';

  /** After a batch: how many decisions to wait for before the next, and until when. */
  let hold: { expected: number; timer: NodeJS.Timeout } | null = null;

  const next = () => {
    if (running || waiting.length === 0) return;
    if (hold) {
      if (waiting.length < hold.expected) return;
      clearTimeout(hold.timer);
      hold = null;
    }
    const batch = waiting.slice(0, MAX_BATCH);
    waiting = waiting.slice(MAX_BATCH);
    running = true;
    const logins = batch.map((w) => w.login);
    decideKnown(ctx, known, logins)
      .then(
        (decisions) => batch.forEach((w, i) => w.resolve(decisions[i]!)),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        running = false;
        // The sessions just answered ask again at once when busy: wait a moment for them, so
        // they join the decisions that waited rather than follow in a transaction of their own.
        const expected = Math.min(waiting.length + batch.length, MAX_BATCH);
        if (gather && waiting.length < expected) {
          const timer = setTimeout(() => {
            hold = null;
            next();
          }, GATHER_MS);
          timer.unref();
          hold = { expected, timer };
        }
        next();
      });
  };

  return (login) =>
    new Promise((resolve, reject) => {
      waiting.push({ login, resolve, reject });
      // After the other sessions' requests read in this turn of the event loop, so they join.
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          next();
        });
      }
    });
}
