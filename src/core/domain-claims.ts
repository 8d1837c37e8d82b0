/**
 * A domain added but never verified is a claim, not an ownership: several accounts may hold one
 * on the same name, the first to prove it by DNS takes it, and an unverified claim lapses after
 * this many days (MAILWRIGHT_UNVERIFIED_DOMAIN_DAYS) so that nobody sits on a name.
 */
export const DEFAULT_UNVERIFIED_DOMAIN_DAYS = 7;

const DAY_MS = 86_400_000;

/** Claims created before this instant have lapsed. */
export const claimsLapsedBefore = (now: Date, days: number): string =>
  new Date(now.getTime() - days * DAY_MS).toISOString();
