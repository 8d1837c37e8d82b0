import { createHmac, randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { fail, ok, type Checked } from './errors.js';
import { MAX_WEBHOOK_URL_LENGTH } from './webhook-events.js';

export const MAX_WEBHOOKS_PER_ACCOUNT = 20;
/** How many of an endpoint's newest deliveries its delivery log shows. */
export const WEBHOOK_DELIVERY_LOG_SIZE = 50;
/** A receiver must answer within this; slower counts as a failed attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Seconds to wait after each failed attempt: the first retry after a minute, then longer, up to
 * 6 h apart, so a receiver down for a day still gets the event. After the last one the delivery
 * is given up (`failed`).
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS: readonly number[] = [
  60, 300, 1800, 7200, 21600, 21600, 21600, 21600,
];
export const MAX_WEBHOOK_ATTEMPTS = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;

/**
 * Days a settled delivery (delivered or failed) stays in the delivery log; older ones are
 * deleted by the delivery loop. Far beyond the retries' span (about 28 h), so a pending delivery
 * is never among them.
 */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

/** When to try again after `attempts` failed ones; null: give up. */
export function nextWebhookAttempt(attempts: number, now: Date): Date | null {
  const delay = WEBHOOK_RETRY_DELAYS_SECONDS[attempts - 1];
  return delay === undefined ? null : new Date(now.getTime() + delay * 1000);
}

const SECRET_PREFIX = 'whsec_';

/** 256 random bits; the prefix lets secret scanners recognise a leaked one. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The `Mailwright-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`,
 * keyed with the endpoint's secret as UTF-8. The timestamp is signed so a receiver can refuse
 * replays of old deliveries.
 */
export function signWebhook(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Addresses a webhook may never reach: unspecified, link-local (which holds the cloud metadata
 * service, 169.254.169.254 and fd00:ec2::254 aside), multicast and reserved ones. Allowing
 * private targets does not open these.
 */
const NEVER = new BlockList();
NEVER.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addSubnet('224.0.0.0', 3, 'ipv4');
NEVER.addAddress('::', 'ipv6');
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addSubnet('ff00::', 8, 'ipv6');
NEVER.addAddress('fd00:ec2::254', 'ipv6');

/** Loopback, RFC 1918, shared (CGN), benchmarking and unique-local addresses. */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('192.0.0.0', 24, 'ipv4');
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** An IPv4 address written inside an IPv6 one (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::`). */
function embeddedIpv4(address: string): string | null {
  const match = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/**
 * Why an IP address may not receive webhooks, or null when it may. Checked when an endpoint is
 * added (an IP literal) and for every address its name resolves to at each delivery.
 */
export function refusedWebhookAddress(address: string, allowPrivate: boolean): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  const [ip, type] = v4 !== null ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (NEVER.check(ip, type)) {
    return `${address} is a link-local, multicast or reserved address, which webhooks never reach`;
  }
  if (!allowPrivate && PRIVATE.check(ip, type)) {
    return `${address} is a private or loopback address; webhooks reach them only with MAILWRIGHT_WEBHOOK_ALLOW_PRIVATE=1`;
  }
  return null;
}

const isLoopbackName = (host: string): boolean =>
  host === 'localhost' || host.endsWith('.localhost');

/**
 * An endpoint URL: https (plain http only to this host, when private targets are allowed), no
 * user name or password in it, no fragment, at most MAX_WEBHOOK_URL_LENGTH characters, and not
 * an address webhooks may not reach. A host name is checked again when each delivery resolves it.
 */
export function checkWebhookUrl(input: string, allowPrivate: boolean): Checked<string> {
  if (input.length > MAX_WEBHOOK_URL_LENGTH) {
    return fail('too_long', `Use a URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail('invalid_url', 'Give an absolute URL, like https://hooks.example.com/mailwright.');
  }
  if (url.username !== '' || url.password !== '') {
    return fail(
      'credentials_in_url',
      'Leave the user name and password out of the URL: deliveries are signed with the secret instead.',
    );
  }
  if (url.hash !== '') return fail('fragment_in_url', 'Leave the #fragment out of the URL.');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol !== 'https:') {
    const httpAllowed =
      url.protocol === 'http:' && allowPrivate && (isLoopbackName(host) || isLoopbackIp(host));
    if (!httpAllowed) {
      return fail('https_required', 'Use an https:// URL: deliveries carry account data.');
    }
  }
  if (isIP(host) !== 0) {
    const refused = refusedWebhookAddress(host, allowPrivate);
    if (refused !== null) return fail('private_address', `${refused}.`);
  } else if (isLoopbackName(host) && !allowPrivate) {
    return fail(
      'private_address',
      `${host} is this host; webhooks reach it only with MAILWRIGHT_WEBHOOK_ALLOW_PRIVATE=1.`,
    );
  }
  return ok(url.href);
}

function isLoopbackIp(host: string): boolean {
  const v4 = isIP(host) === 6 ? (embeddedIpv4(host) ?? host) : host;
  return /^127\./.test(v4) || v4 === '::1';
}
