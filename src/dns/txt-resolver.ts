import { Resolver } from 'node:dns/promises';
import { lookupFailure, type LookupFailure } from './lookup.js';

/**
 * What a TXT lookup found, with failures named as such: a timeout or SERVFAIL is a fact to show
 * the user ("your DNS host did not answer"), not a crash.
 */
export type TxtLookup =
  | { status: 'ok'; records: string[] }
  | { status: LookupFailure; records: string[]; message: string };

export interface TxtResolver {
  resolveTxt(host: string): Promise<TxtLookup>;
}

/** `servers` are `ip` or `ip:port` (IPv6 as `[::1]:53`); empty uses the system's resolvers. */
export function createTxtResolver(
  servers: string[],
  opts: { timeoutMs?: number } = {},
): TxtResolver {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 3000, tries: 2 });
  if (servers.length > 0) resolver.setServers(servers);
  return {
    async resolveTxt(host) {
      try {
        // A TXT record may be split into several strings; they form one value when joined.
        const answers = await resolver.resolveTxt(host);
        return { status: 'ok', records: answers.map((chunks) => chunks.join('')) };
      } catch (error) {
        const { status, message } = lookupFailure('TXT', host, error);
        return { status, records: [], message };
      }
    },
  };
}
