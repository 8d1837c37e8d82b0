import { lookup as systemLookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { refusedWebhookAddress, WEBHOOK_TIMEOUT_MS } from '../../../core/webhooks.js';

export type PostOutcome = { status: number } | { error: string };

export interface PostWebhook {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  resolve?: (host: string) => Promise<string[]>;
}

const resolveWithSystem = async (host: string): Promise<string[]> =>
  (await systemLookup(host, { all: true })).map((a) => a.address);

/**
 * Connects only to an address that passed the SSRF check: the host is resolved here, every
 * address it has is checked, and the socket is opened to the checked one (never resolved a
 * second time, so a DNS answer that changes in between cannot point it elsewhere). Redirects are
 * not followed: a 3xx is a failed attempt.
 */
export async function postWebhook(post: PostWebhook): Promise<PostOutcome> {
  const url = new URL(post.url);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const resolve = post.resolve ?? resolveWithSystem;
  let addresses: string[];
  try {
    addresses = isIP(host) !== 0 ? [host] : await resolve(host);
  } catch (error) {
    return { error: `cannot resolve ${host}: ${(error as Error).message}` };
  }
  if (addresses.length === 0) return { error: `${host} has no address` };
  for (const address of addresses) {
    const refused = refusedWebhookAddress(address, post.allowPrivate);
    if (refused !== null) return { error: `refused: ${refused}` };
  }
  const address = addresses[0]!;
  const family = isIP(address);
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) },
    lookup: pinned,
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolveOutcome) => {
    const req = send(url, options, (res) => {
      // Only the status counts; the body is read and dropped so the socket is freed.
      res.resume();
      res.on('end', () => resolveOutcome({ status: res.statusCode ?? 0 }));
      res.on('error', (error) => resolveOutcome({ error: error.message }));
    });
    req.on('error', (error) => resolveOutcome({ error: error.message }));
    req.end(post.body);
  });
}
