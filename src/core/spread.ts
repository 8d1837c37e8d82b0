/**
 * A spread request: the same personas on many hostnames. One request is one job, so its size is
 * capped like any list, before the account's own limits (maxBulkCount, slots, hourly) apply.
 * 100 hostnames matches the most domains one request may add; 100 personas is far more than
 * the handful a sender keeps per hostname.
 */
export const MAX_SPREAD_DOMAINS = 100;
export const MAX_SPREAD_PERSONAS = 100;

/**
 * Which personas get a mailbox on each hostname: the list is walked in order, `perDomain` at a
 * time, wrapping round at its end, so hostname i gets personas i·perDomain … i·perDomain +
 * perDomain − 1 (mod the list's length). With as many personas as perDomain every hostname gets
 * all of them; with more, each is used as evenly as the count allows. perDomain ≤ the list's
 * length, so no persona appears twice on one hostname.
 */
export function spreadAssignments<P>(
  domains: readonly string[],
  personas: readonly P[],
  perDomain: number,
): { domain: string; personas: P[] }[] {
  return domains.map((domain, i) => ({
    domain,
    personas: Array.from(
      { length: perDomain },
      (_, k) => personas[(i * perDomain + k) % personas.length]!,
    ),
  }));
}
