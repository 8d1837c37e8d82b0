import type { PlannedRecord, RecordType } from '../../core/dns-record.js';
import { txtStrings } from '../../core/zone-file.js';
import type { DnsProvider } from './dns-provider.js';
import { absoluteName, canonicalRdata } from './rdata.js';

export interface PowerDnsOptions {
  /** Where the PowerDNS webserver listens, e.g. `http://127.0.0.1:8081` (a trailing `/api/v1` is allowed). */
  apiUrl: string;
  apiKey: string;
  /** The server id in the API's paths; PowerDNS Authoritative always calls itself `localhost`. */
  serverId?: string;
  /** How long one API request may take, connection and body included. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// The longest piece of an error body quoted in a message: PowerDNS's errors are one line, but a
// proxy in front of it may answer with a whole HTML page.
const MAX_DETAIL_CHARS = 300;

/** One RRset as the PowerDNS API shows it (`GET …/zones/{zone}`). */
interface PdnsRrset {
  name: string;
  type: string;
  ttl: number;
  records: { content: string; disabled?: boolean }[];
}

/** One (host, type) of the plan, in the form the API takes. */
interface WantedRrset {
  /** Canonical: lowercase, trailing dot. */
  name: string;
  type: RecordType;
  ttl: number;
  /** Record contents as PowerDNS takes them, one per distinct planned value. */
  contents: string[];
}

/**
 * Publishes planned records through the PowerDNS Authoritative HTTP API: reads the zone once,
 * and replaces, in a single PATCH, only the RRsets whose TTL or data differ from the plan — so
 * publishing the same plan again sends no change at all. The API key goes only in the
 * `X-API-Key` header, never into an error message.
 */
export function createPowerDnsProvider(opts: PowerDnsOptions): DnsProvider {
  const apiUrl = baseUrl(opts.apiUrl);
  const serverId = opts.serverId ?? 'localhost';
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const api = (method: string, path: string, body?: unknown) =>
    request({ apiUrl, apiKey: opts.apiKey, timeoutMs }, method, path, body);

  return {
    kind: 'powerdns',
    async publish(zone, records) {
      const zoneName = absoluteName(zone);
      const wanted = group(zoneName, records);
      if (wanted.length === 0) return { changed: 0 };

      const zonePath = `/api/v1/servers/${encodeURIComponent(serverId)}/zones/${encodeURIComponent(zoneName)}`;
      const current = (await api('GET', zonePath)) as { rrsets?: PdnsRrset[] } | undefined;
      const existing = new Map<string, PdnsRrset>();
      for (const rrset of current?.rrsets ?? []) {
        existing.set(key(absoluteName(rrset.name), rrset.type.toUpperCase()), rrset);
      }

      const changes = wanted.filter((w) => !sameRrset(w, existing.get(key(w.name, w.type))));
      if (changes.length === 0) return { changed: 0 };
      await api('PATCH', zonePath, {
        rrsets: changes.map((w) => ({
          name: w.name,
          type: w.type,
          ttl: w.ttl,
          changetype: 'REPLACE',
          records: w.contents.map((content) => ({ content, disabled: false })),
        })),
      });
      return { changed: changes.length };
    },
  };
}

function baseUrl(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new Error(`PowerDNS API URL ${JSON.stringify(apiUrl)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`PowerDNS API URL ${url.origin} must be http: or https:`);
  }
  if (url.username || url.password) {
    throw new Error('PowerDNS API URL must not hold credentials; pass the API key as apiKey');
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

interface Connection {
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
}

/** One API call; any failure becomes an Error naming the API URL, the call and the reason. */
async function request(
  conn: Connection,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const where = `PowerDNS API at ${conn.apiUrl} (${method} ${path})`;
  const headers: Record<string, string> = { 'X-API-Key': conn.apiKey, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let status = 0;
  let text: string;
  try {
    const response = await fetch(`${conn.apiUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(conn.timeoutMs),
      redirect: 'error',
    });
    status = response.status;
    text = await response.text();
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
      throw new Error(`${where} did not answer within ${conn.timeoutMs} ms`, { cause: err });
    }
    const reason = networkReason(err);
    throw new Error(
      status
        ? `${where} failed while sending its HTTP ${status} answer: ${reason}`
        : `${where} could not be reached: ${reason}`,
      { cause: err },
    );
  }
  if (status < 200 || status > 299) throw new Error(statusMessage(where, status, text));
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${where} answered HTTP ${status} with a body that is not JSON`);
  }
}

function statusMessage(where: string, status: number, text: string): string {
  const detail = errorDetail(text);
  const said = detail ? `: ${detail}` : '';
  switch (status) {
    case 401:
    case 403:
      return `${where} refused the API key (HTTP ${status}${said}); check the PowerDNS api-key setting`;
    case 404:
      return `${where} found no such zone or server (HTTP 404${said}); create the zone in PowerDNS first`;
    case 422:
      return `${where} rejected the request as invalid (HTTP 422${said})`;
    default:
      return `${where} failed with HTTP ${status}${said}`;
  }
}

/** PowerDNS answers `{"error": "…"}` as JSON, or plain text for some statuses (`Unauthorized`). */
function errorDetail(text: string): string {
  let detail = text.trim();
  try {
    const parsed = JSON.parse(detail) as { error?: unknown; errors?: unknown };
    if (typeof parsed.error === 'string') {
      detail = parsed.error;
      if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
        detail += ` (${parsed.errors.map(String).join('; ')})`;
      }
    }
  } catch {
    // Not JSON: keep the text as is.
  }
  detail = detail.replace(/\s+/g, ' ');
  return detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
}

/** Node's fetch throws `TypeError: fetch failed` with the socket error as its cause. */
function networkReason(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(
      typeof code === 'string' && !e.message.includes(code) ? `${e.message} (${code})` : e.message,
    );
    e = e.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(err);
}

const key = (name: string, type: string) => `${name} ${type}`;

/** The plan's records as RRsets, one per (host, type), checked to lie inside the zone. */
function group(zoneName: string, records: PlannedRecord[]): WantedRrset[] {
  const byKey = new Map<string, WantedRrset & { seen: Set<string> }>();
  for (const record of records) {
    const name = absoluteName(record.host);
    if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
      throw new Error(`${record.type} record for ${record.host} is outside the zone ${zoneName}`);
    }
    const content = toContent(record.type, record.value);
    const k = key(name, record.type);
    const rrset = byKey.get(k) ?? {
      name,
      type: record.type,
      ttl: record.ttl,
      contents: [],
      seen: new Set<string>(),
    };
    // An RRset has one TTL; where the plan disagrees with itself the shortest one wins.
    rrset.ttl = Math.min(rrset.ttl, record.ttl);
    const normal = canonicalRdata(record.type, content);
    // PowerDNS refuses an RRset holding the same record twice.
    if (!rrset.seen.has(normal)) {
      rrset.seen.add(normal);
      rrset.contents.push(content);
    }
    byKey.set(k, rrset);
  }
  return [...byKey.values()].map(({ seen: _seen, ...rrset }) => rrset);
}

/** A planned value as PowerDNS record content: TXT quoted in ≤255-byte strings, names absolute. */
function toContent(type: RecordType, value: string): string {
  if (type === 'TXT') return txtStrings(value);
  if (type === 'A' || type === 'AAAA') return value.trim();
  const fields = value.trim().split(/\s+/);
  const last = fields.length - 1;
  // The plan's names are absolute; PowerDNS rejects a target without its trailing dot.
  if (last >= 0 && fields[last] !== '.' && !fields[last]!.endsWith('.')) fields[last] += '.';
  return fields.join(' ');
}

function sameRrset(wanted: WantedRrset, current: PdnsRrset | undefined): boolean {
  if (!current || current.ttl !== wanted.ttl) return false;
  if (current.records.some((r) => r.disabled)) return false;
  const have = current.records.map((r) => canonicalRdata(wanted.type, r.content)).sort();
  const want = wanted.contents.map((c) => canonicalRdata(wanted.type, c)).sort();
  return have.length === want.length && have.every((c, i) => c === want[i]);
}
