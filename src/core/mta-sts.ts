import { createHash } from 'node:crypto';

export type MtaStsMode = 'testing' | 'enforce' | 'none';

/**
 * The policy file (RFC 8461 §3.2) served at https://mta-sts.<domain>/.well-known/mta-sts.txt.
 * Every domain's mail goes to the one mail host, so every domain serves the same policy.
 * `testing` only asks for reports, so a cold start never loses mail while TLS is being set up;
 * `enforce` is cached longer because senders refetch it only when the id changes anyway.
 */
export function mtaStsPolicy(mode: MtaStsMode, mailHost: string): string {
  const maxAge = mode === 'enforce' ? 604_800 : 86_400;
  return `version: STSv1\nmode: ${mode}\nmx: ${mailHost}\nmax_age: ${maxAge}\n`;
}

/**
 * The `id=` of the `_mta-sts` TXT record, derived from the policy text so it changes exactly
 * when the policy does: senders refetch a policy only when they see a new id, and a hand-kept
 * id is easily forgotten. RFC 8461 allows 1–32 letters and digits.
 */
export const mtaStsId = (policy: string): string =>
  createHash('sha256').update(policy).digest('hex').slice(0, 20);
