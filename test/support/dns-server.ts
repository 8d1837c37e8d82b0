import dns2 from 'dns2';
import type { PlannedRecord, RecordType } from '../../src/core/dns-record.js';
import { reverseName } from '../../src/core/host-checks.js';

const { Packet } = dns2;
// dns2's typings omit the response codes its runtime exports (RFC 1035 §4.1.1).
const RCODE = { NXDOMAIN: 3, SERVFAIL: 2 } as const;
// One <character-string> holds at most 255 octets (RFC 1035 §3.3), and dns2 does not split
// longer ones itself, so a DKIM key is served the way DNS hosts publish it: in pieces.
const MAX_STRING_OCTETS = 255;

/**
 * A real authoritative DNS server on loopback (UDP, random port) whose records a test sets.
 * Names it does not know answer NXDOMAIN, known names without the asked type answer NODATA,
 * names marked `servfail` answer SERVFAIL and names marked `silence` are never answered.
 */
export interface TestDnsServer {
  /** `127.0.0.1:PORT`, the form MAILWRIGHT_DNS_SERVERS takes. */
  address: string;
  /** Each value is one TXT record; an array is one record split into several strings. */
  setTxt(host: string, values: (string | string[])[]): void;
  /** Replaces `host`'s records of `type`, each in presentation form (`10 mx.example.net.`). */
  setRecords(host: string, type: RecordType, values: string[]): void;
  /** Serves `records` as a DNS host would after the user published them, via setRecords. */
  publish(records: Pick<PlannedRecord, 'type' | 'host' | 'value'>[]): void;
  /** Replaces `host`'s A or AAAA records. */
  setAddresses(host: string, type: 'A' | 'AAAA', addresses: string[]): void;
  /** Serves `name` as the PTR record of `ip` (in-addr.arpa / ip6.arpa). */
  setPtr(ip: string, name: string): void;
  servfail(host: string): void;
  /** Drops every query for `host`, so resolvers see a timeout. */
  silence(host: string): void;
  /** Queries received so far, answered or not, for names ending in `suffix`. */
  queryCount(suffix?: string): number;
  close(): Promise<void>;
}

type Rdata = Record<string, unknown>;

export async function startDnsServer(): Promise<TestDnsServer> {
  const zone = new Map<string, Map<number, Rdata[]>>();
  const failing = new Set<string>();
  const silent = new Set<string>();
  const queries = new Map<string, number>();
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions[0];
      const name = question?.name.toLowerCase() ?? '';
      queries.set(name, (queries.get(name) ?? 0) + 1);
      if (silent.has(name)) return;
      const types = zone.get(name);
      if (failing.has(name)) {
        response.header.rcode = RCODE.SERVFAIL;
      } else if (!types) {
        response.header.rcode = RCODE.NXDOMAIN;
      } else if (question) {
        for (const rdata of types.get(question.type) ?? []) {
          response.answers.push({
            name: question.name,
            type: question.type,
            class: Packet.CLASS.IN,
            ttl: 60,
            ...rdata,
          } as never);
        }
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const { udp } = server.addresses() as { udp: { port: number } };

  const set = (host: string, type: number, rdata: Rdata[]) => {
    const name = host.toLowerCase();
    const types = zone.get(name) ?? new Map<number, Rdata[]>();
    types.set(type, rdata);
    zone.set(name, types);
  };
  const setTxt = (host: string, values: (string | string[])[]) =>
    set(
      host,
      Packet.TYPE.TXT,
      values.map((value) => ({ data: typeof value === 'string' ? splitString(value) : value })),
    );
  const setRecords = (host: string, type: RecordType, values: string[]) => {
    if (type === 'TXT') return setTxt(host, values);
    set(host, Packet.TYPE[type], values.map(RDATA[type]));
  };
  return {
    address: `127.0.0.1:${udp.port}`,
    setTxt,
    setRecords,
    publish(records) {
      const rrsets = new Map<string, { host: string; type: RecordType; values: string[] }>();
      for (const { host, type, value } of records) {
        const key = `${type} ${host.toLowerCase()}`;
        const rrset = rrsets.get(key) ?? { host, type, values: [] };
        rrset.values.push(value);
        rrsets.set(key, rrset);
      }
      for (const { host, type, values } of rrsets.values()) setRecords(host, type, values);
    },
    setAddresses: (host, type, addresses) =>
      set(
        host,
        Packet.TYPE[type],
        addresses.map((address) => ({ address })),
      ),
    setPtr: (ip, name) => set(reverseName(ip), Packet.TYPE.PTR, [{ domain: relative(name) }]),
    servfail: (host) => failing.add(host.toLowerCase()),
    silence: (host) => silent.add(host.toLowerCase()),
    queryCount(suffix = '') {
      let count = 0;
      for (const [name, n] of queries) if (name.endsWith(suffix)) count += n;
      return count;
    },
    close: () => server.close(),
  };
}

function splitString(value: string): Buffer[] {
  const bytes = Buffer.from(value);
  const pieces: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += MAX_STRING_OCTETS) {
    pieces.push(bytes.subarray(start, start + MAX_STRING_OCTETS));
  }
  return pieces.length > 0 ? pieces : [bytes];
}

// dns2 takes names without the trailing dot of the presentation form.
const relative = (name: string | undefined) => (name ?? '').replace(/\.$/, '');

const RDATA: Record<Exclude<RecordType, 'TXT'>, (value: string) => Rdata> = {
  MX(value) {
    const [priority, exchange] = value.split(/\s+/);
    return { priority: Number(priority), exchange: relative(exchange) };
  },
  SRV(value) {
    const [priority, weight, port, target] = value.split(/\s+/);
    return {
      priority: Number(priority),
      weight: Number(weight),
      port: Number(port),
      target: relative(target),
    };
  },
  CNAME: (value) => ({ domain: relative(value) }),
  A: (address) => ({ address }),
  AAAA: (address) => ({ address }),
};
