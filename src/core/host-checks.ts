/**
 * The limits `mailwright doctor` judges the host by, beyond those of the things it checks
 * (certificates: core/certificates.ts).
 */

/** A server that answers SMTP on 25 from anywhere: reaching it says port 25 leaves this host. */
export const DEFAULT_SMTP_PROBE = 'gmail-smtp-in.l.google.com:25';

/** Each network probe (SMTP greeting, DNS, the time source) gets this long. */
export const PROBE_TIMEOUT_MS = 5000;

/**
 * A clock further off than this breaks TOTP codes (30 s steps, one step of slack) and makes
 * receivers doubt DKIM signature times and TLS validity at the edges.
 */
export const MAX_CLOCK_SKEW_SECONDS = 30;

/** What the mail host's own SPF record (for its HELO name) should authorize: its addresses. */
export const HELO_SPF_RECORD = 'v=spf1 a -all';

/** The name the PTR records of `ip` live at (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(ip: string): string {
  if (ip.includes('.')) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const [head = '', tail = ''] = ip.split('::');
  const before = head ? head.split(':') : [];
  const after = tail ? tail.split(':') : [];
  const zeros = Array<string>(8 - before.length - after.length).fill('0');
  const nibbles = [...before, ...zeros, ...after].map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}
