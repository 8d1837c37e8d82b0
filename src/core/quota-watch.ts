import { MESSAGE_SIZE_LIMIT } from './message-size.js';

/**
 * Which mailboxes Postfix asks Dovecot's quota-status about at RCPT (docs/mail-plane.md, "No
 * backscatter"). A mailbox with at least the largest message's room left takes any message, so
 * asking costs about half a millisecond of CPU per recipient for an answer known in advance:
 * most of what delivery spent beyond its fair ceiling. A message can only be refused for room
 * once the storage in use reaches the quota less the largest message; from there on, and for a
 * mailbox whose quota is no larger than one message, quota-status is asked.
 *
 * Dovecot tells Mailwright when a mailbox crosses that mark, either way (a quota warning, which
 * the policy service receives), and Mailwright keeps the answer in `mailboxes.quota_nearly_full`.
 */
export const QUOTA_WATCH_MARGIN_MB = MESSAGE_SIZE_LIMIT / (1024 * 1024);

/**
 * Whether a mailbox of `quotaMb` holding `usedMb` is watched. Unknown usage (null: the mail plane
 * could not say) is watched: asking quota-status too often costs time, too rarely a bounce.
 */
export function quotaNearlyFull(usedMb: number | null, quotaMb: number): boolean {
  return usedMb === null || usedMb >= quotaMb - QUOTA_WATCH_MARGIN_MB;
}

/** What a quota warning says happened: the storage in use reached the mark, or fell below it. */
export type QuotaCrossing = 'over' | 'under';
