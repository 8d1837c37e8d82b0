import { isIPv6 } from 'node:net';
import type { CheckedRecord, PlannedRecord, RecordType } from '../core/dns-record.js';
import { checkDkim, isDkimHost } from './dkim.js';
import { checkDmarc, isDmarcRecord } from './dmarc.js';
import { createLookup, type Lookup, type LookupFn } from './lookup.js';
import { checkSpf, isSpfRecord } from './spf.js';

export interface CheckOptions {
  /**
   * `ip` or `ip:port` (IPv6 as `[::1]:53`), as MAILWRIGHT_DNS_SERVERS lists them; empty uses the
   * system's resolvers.
   */
  servers: string[];
  /** The most one lookup may take, retries included. */
  timeoutMs?: number;
  /** The most lookups in flight at once within one `check`. */
  concurrency?: number;
  /** Mailwright's mail host, which SPF must authorize. */
  mailHost: string;
}

export interface RecordChecker {
  /** Never rejects for DNS trouble: failed lookups become `missing` or `error` records. */
  check(records: PlannedRecord[]): Promise<CheckedRecord[]>;
}

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_CONCURRENCY = 64;

type Verdict = Pick<CheckedRecord, 'status' | 'hint'>;

export function createRecordChecker(opts: CheckOptions): RecordChecker {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const resolve = createLookup(opts.servers, timeoutMs);
  const mailHost = normalizeName(opts.mailHost);
  return {
    check(records) {
      // Per call, so a re-check after the user edits their zone sees the new answers.
      const lookup = memoize(
        bounded(resolve, Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY)),
      );
      return Promise.all(
        records.map(async (record) => {
          const result = await lookup(record.host, record.type);
          const verdict =
            result.status === 'ok'
              ? await compare(record, result.answers, { lookup, mailHost })
              : failed(record, result, timeoutMs);
          return { ...record, ...verdict, found: result.answers };
        }),
      );
    },
  };
}

export interface CheckSummary {
  /** Every record is ok. */
  ready: boolean;
  failing: Pick<CheckedRecord, 'type' | 'host' | 'status' | 'hint'>[];
}

export function summarize(records: CheckedRecord[]): CheckSummary {
  const failing = records
    .filter((r) => r.status !== 'ok')
    .map(({ type, host, status, hint }) => ({ type, host, status, hint }));
  return { ready: failing.length === 0, failing };
}

const normalizeName = (name: string) => name.trim().toLowerCase().replace(/\.$/, '');

function memoize(lookup: LookupFn): LookupFn {
  const seen = new Map<string, Promise<Lookup>>();
  return (host, type) => {
    const name = normalizeName(host);
    const key = `${type} ${name}`;
    let result = seen.get(key);
    if (!result) {
      result = lookup(name, type);
      seen.set(key, result);
    }
    return result;
  };
}

/**
 * At most `limit` lookups in flight. Records are not limited themselves, only their lookups, so
 * an SPF check waiting on its includes never holds a slot those includes need.
 */
function bounded(lookup: LookupFn, limit: number): LookupFn {
  let active = 0;
  const waiting: (() => void)[] = [];
  let next = 0;
  return async (host, type) => {
    if (active < limit) active++;
    else await new Promise<void>((start) => waiting.push(start));
    try {
      return await lookup(host, type);
    } finally {
      // A finished lookup hands its slot straight to the oldest waiting one.
      if (next < waiting.length) waiting[next++]!();
      else active--;
    }
  };
}

async function compare(
  record: PlannedRecord,
  answers: string[],
  ctx: { lookup: LookupFn; mailHost: string },
): Promise<Verdict> {
  const { host, value } = record;
  switch (record.type) {
    case 'TXT':
      if (isSpfRecord(value)) {
        return checkSpf(value, answers, {
          host,
          mailHost: ctx.mailHost,
          lookupTxt: (name) => ctx.lookup(name, 'TXT'),
        });
      }
      if (isDmarcRecord(value)) return checkDmarc(host, value, answers);
      if (isDkimHost(host)) return checkDkim(host, value, answers);
      return checkTxt(record, answers);
    case 'MX':
      return checkMx(record, answers);
    case 'SRV':
      return answers.some((a) => sameData(a, value))
        ? ok
        : mismatch(`Change the SRV record at ${host} from ${quoted(answers)} to "${value}".`);
    case 'CNAME':
      return answers.some((a) => sameData(a, value))
        ? ok
        : mismatch(
            `Change the CNAME record at ${host} to point to ${normalizeName(value)} instead of ${answers.map(normalizeName).join(', ')}.`,
          );
    case 'A':
    case 'AAAA':
      // Any other address beside ours sends some visitors elsewhere.
      return answers.length === 1 && sameAddress(answers[0]!, value)
        ? ok
        : mismatch(
            `Replace the ${record.type} records at ${host} (${answers.join(', ')}) with one pointing to ${value}.`,
          );
  }
}

const ok: Verdict = { status: 'ok', hint: '' };
const mismatch = (hint: string): Verdict => ({ status: 'mismatch', hint });
const quoted = (values: string[]) => values.map((v) => `"${v}"`).join(', ');

/** IPv6 has many spellings of one address (`2001:db8::1`, `2001:DB8:0::1`). */
const sameAddress = (a: string, b: string) => canonicalAddress(a) === canonicalAddress(b);
const canonicalAddress = (address: string) =>
  isIPv6(address) ? new URL(`http://[${address}]/`).hostname : address.trim();

/** Names compare case-insensitively and with or without the trailing dot. */
const sameData = (a: string, b: string) => normalizeData(a) === normalizeData(b);
const normalizeData = (data: string) =>
  data.trim().toLowerCase().split(/\s+/).map(normalizeName).join(' ');

/**
 * TXT records other than SPF, DMARC and DKIM: ownership proof (`name=value`), MTA-STS and TLS-RPT
 * (`v=…;`). A record with the same leading tag as ours is an attempt at ours, so it is a
 * mismatch to correct rather than something missing. MTA-STS and TLS-RPT must be the only
 * record of their version at the name (RFC 8461 §3.1, RFC 8460 §3); ownership proofs may share
 * the name with others, e.g. another account's.
 */
function checkTxt(record: PlannedRecord, answers: string[]): Verdict {
  const { host, value } = record;
  const kind = /^(?:v=[^;\s]+|[^=\s]+=)/i.exec(value)?.[0].toLowerCase();
  const sameKind = kind ? answers.filter((a) => a.toLowerCase().startsWith(kind)) : [];
  const exclusive = kind?.startsWith('v=') ?? false;
  if (answers.includes(value)) {
    return exclusive && sameKind.length > 1
      ? mismatch(
          `${host} has ${sameKind.length} "${kind}" records, and receivers ignore them all when there is more than one: delete all but "${value}".`,
        )
      : ok;
  }
  if (sameKind.length === 0) return missing(record);
  return mismatch(`Change the TXT record at ${host} from ${quoted(sameKind)} to "${value}".`);
}

/**
 * Ours must be among the MX records and no other host may come before it. Hosts with a higher
 * preference number are backups senders only try when ours does not answer, which is fine.
 */
function checkMx(record: PlannedRecord, answers: string[]): Verdict {
  const { host, value } = record;
  const parse = (data: string) => {
    const [preference = '', exchange = ''] = data.trim().split(/\s+/);
    return { preference: Number(preference), exchange: normalizeName(exchange), data };
  };
  const ours = parse(value);
  const found = answers.map(parse);
  const mine = found.filter((mx) => mx.exchange === ours.exchange);
  if (mine.length === 0) {
    return mismatch(
      `Mail for ${host} goes to ${quoted(answers)}, not to Mailwright: replace the MX records at ${host} with one of priority ${ours.preference} pointing to ${ours.exchange}.`,
    );
  }
  const best = Math.min(...mine.map((mx) => mx.preference));
  const ahead = found.filter((mx) => mx.exchange !== ours.exchange && mx.preference <= best);
  if (ahead.length === 0) return ok;
  return mismatch(
    `Sending servers deliver mail for ${host} to ${quoted(ahead.map((mx) => mx.data))} before or instead of ${ours.exchange} (priority ${best}): delete ${ahead.length === 1 ? 'that MX record' : 'those MX records'} or give ${ahead.length === 1 ? 'it a priority number' : 'them priority numbers'} above ${best}.`,
  );
}

function missing(record: PlannedRecord): Verdict {
  const { host, value } = record;
  const fields = value.trim().split(/\s+/).map(normalizeName);
  const what: Record<RecordType, () => string> = {
    TXT: () => `a TXT record at ${host} with the value "${value}"`,
    MX: () => `an MX record at ${host} with priority ${fields[0]} pointing to ${fields[1]}`,
    SRV: () =>
      `an SRV record at ${host} with priority ${fields[0]}, weight ${fields[1]}, port ${fields[2]} and target ${fields[3]}`,
    CNAME: () => `a CNAME record at ${host} pointing to ${normalizeName(value)}`,
    A: () => `an A record at ${host} pointing to ${value}`,
    AAAA: () => `an AAAA record at ${host} pointing to ${value}`,
  };
  return { status: 'missing', hint: `Add ${what[record.type]()}.` };
}

function failed(
  record: PlannedRecord,
  result: Exclude<Lookup, { status: 'ok' }>,
  timeoutMs: number,
): Verdict {
  const query = `the ${record.type} query for ${record.host}`;
  switch (result.status) {
    case 'nxdomain':
    case 'nodata':
      return missing(record);
    case 'timeout':
      return {
        status: 'error',
        hint: `Your DNS host's nameservers did not answer ${query} within ${timeoutMs} ms (timeout): check again in a few minutes, and if it persists ask your DNS host to fix its nameservers or check that the domain's NS records point to them.`,
      };
    case 'servfail':
      return {
        status: 'error',
        hint: `Your DNS host's nameservers failed ${query} (SERVFAIL), often a broken DNSSEC setup or a nameserver that is down: ask your DNS host to fix it, or remove stale DS records at your registrar.`,
      };
    case 'refused':
      return {
        status: 'error',
        hint: `Your DNS host's nameservers refused ${query} (REFUSED): check that the domain's NS records at your registrar point to the DNS host where you publish these records.`,
      };
    case 'error':
      return {
        status: 'error',
        hint: `${result.message}; check again in a few minutes, and if it persists ask your DNS host.`,
      };
  }
}
