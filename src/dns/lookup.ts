import { Resolver } from 'node:dns/promises';
import type { RecordType } from '../core/dns-record.js';

export type LookupFailure = 'nxdomain' | 'nodata' | 'timeout' | 'servfail' | 'refused' | 'error';

/**
 * What one query found, answers in zone-file presentation form (as PlannedRecord.value writes
 * them). Failures are values: a timeout or SERVFAIL is something to tell the user, not a crash.
 */
export type Lookup =
  | { status: 'ok'; answers: string[] }
  | { status: LookupFailure; answers: string[]; message: string };

export type LookupFn = (host: string, type: RecordType) => Promise<Lookup>;

const FAILURES: Record<string, LookupFailure> = {
  ENOTFOUND: 'nxdomain',
  ENODATA: 'nodata',
  ETIMEOUT: 'timeout',
  ESERVFAIL: 'servfail',
  EREFUSED: 'refused',
};

/** What a rejected node:dns query means, and the message naming it. */
export function lookupFailure(
  type: string,
  host: string,
  error: unknown,
): { status: LookupFailure; message: string } {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return {
    status: FAILURES[code] ?? 'error',
    message: `${type} lookup of ${host} failed: ${code || String(error)}`,
  };
}

const absolute = (name: string) => `${name}.`;

const QUERIES: Record<RecordType, (resolver: Resolver, fqdn: string) => Promise<string[]>> = {
  // A TXT record may be split into several strings; they form one value when joined.
  TXT: async (r, fqdn) => (await r.resolveTxt(fqdn)).map((chunks) => chunks.join('')),
  MX: async (r, fqdn) =>
    (await r.resolveMx(fqdn)).map((mx) => `${mx.priority} ${absolute(mx.exchange)}`),
  SRV: async (r, fqdn) =>
    (await r.resolveSrv(fqdn)).map(
      (srv) => `${srv.priority} ${srv.weight} ${srv.port} ${absolute(srv.name)}`,
    ),
  CNAME: async (r, fqdn) => (await r.resolveCname(fqdn)).map(absolute),
  A: (r, fqdn) => r.resolve4(fqdn),
  AAAA: (r, fqdn) => r.resolve6(fqdn),
};

/**
 * One node:dns Resolver (c-ares) for every lookup. `servers` are `ip` or `ip:port` (IPv6 as
 * `[::1]:53`); empty uses the system's resolvers. Each lookup gets `timeoutMs` in all.
 */
export function createLookup(servers: string[], timeoutMs: number): LookupFn {
  // c-ares waits about twice its timeout option before resending (measured with c-ares 1.34: a
  // 1000 ms timeout resent at 2 s and gave up at 4 s), so a third of the budget lets it resend a
  // lost UDP packet once in time, and the timer below is what holds a lookup to the budget.
  const resolver = new Resolver({ timeout: Math.max(1, Math.floor(timeoutMs / 3)), tries: 2 });
  if (servers.length > 0) resolver.setServers(servers);

  const answer = async (host: string, type: RecordType): Promise<Lookup> => {
    try {
      // The trailing dot keeps c-ares from retrying a missing name under the search domains.
      return { status: 'ok', answers: await QUERIES[type](resolver, absolute(host)) };
    } catch (error) {
      const { status, message } = lookupFailure(type, host, error);
      return { status, answers: [], message };
    }
  };

  return async (host, type) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<Lookup>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            status: 'timeout',
            answers: [],
            message: `${type} lookup of ${host} got no answer within ${timeoutMs} ms`,
          }),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([answer(host, type), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };
}
