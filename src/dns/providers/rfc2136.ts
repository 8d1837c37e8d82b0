import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlannedRecord, RecordType } from '../../core/dns-record.js';
import { txtStrings } from '../../core/zone-file.js';
import type { DnsProvider } from './dns-provider.js';
import { canonicalRdata } from './rdata.js';

/**
 * RFC 2136 dynamic updates signed with TSIG (RFC 8945), as BIND, Knot and PowerDNS accept them.
 *
 * The wire work is done by `dig` and `nsupdate` from Debian's bind9-dnsutils: `dig` reads each
 * planned RRset straight from the server (TCP, no recursion, unsigned so servers that only verify
 * TSIG on updates and transfers answer too), and `nsupdate` sends one signed transaction that
 * replaces only the RRsets that differ. The TSIG secret goes to nsupdate on stdin, never on a
 * command line (where `ps` would show it), and never into an error message or log.
 */
export interface Rfc2136Options {
  /** The primary's address: `192.0.2.53`, `192.0.2.53:5353`, `2001:db8::53` or `[2001:db8::53]:53`. */
  server: string;
  keyName: string;
  /** Base64, as `tsig-keygen` and `keymgr` print it. */
  keySecret: string;
  algorithm?: 'hmac-sha256' | 'hmac-sha512';
  /** Bound on one whole `publish` (reads and update); it rejects once this has passed. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_PORT = 53;
// Parallel `dig` processes while reading the current RRsets.
const READ_CONCURRENCY = 4;

const LABEL = /^(?:\*|[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;
const KEY_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** One (host, type) of the plan: what the server must end up holding there. */
interface Rrset {
  host: string;
  type: RecordType;
  ttl: number;
  /** `update add` data, in the order first planned. */
  data: string[];
  /** Canonical forms, sorted: what is compared with the server's answer. */
  keys: string[];
}

interface Answer {
  status: string;
  authoritative: boolean;
  records: { owner: string; ttl: number; type: string; rdata: string }[];
}

export function createRfc2136Provider(opts: Rfc2136Options): DnsProvider {
  const { address, port } = parseServer(opts.server);
  const algorithm = opts.algorithm ?? 'hmac-sha256';
  if (algorithm !== 'hmac-sha256' && algorithm !== 'hmac-sha512') {
    throw new Error(`Unsupported TSIG algorithm ${String(algorithm)}`);
  }
  if (!KEY_NAME.test(opts.keyName)) throw new Error(`Invalid TSIG key name ${opts.keyName}`);
  const secret = opts.keySecret.trim();
  if (!BASE64.test(secret)) throw new Error('The TSIG key secret is not base64');
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = `DNS server ${opts.server}`;
  const redact = (text: string) => text.split(secret).join('[secret]');

  const query = async (
    name: string,
    type: string,
    deadline: number,
    /** A key file for dig: the query is signed, and a refused signature is an error. */
    keyFile?: string,
  ): Promise<Answer> => {
    const signed = keyFile !== undefined;
    const result = await run(
      'dig',
      [
        ...(signed ? ['-k', keyFile] : []),
        '-r',
        `@${address}`,
        '-p',
        String(port),
        '+tcp',
        '+norecurse',
        '+tries=1',
        `+time=${seconds(deadline)}`,
        '+noall',
        '+comments',
        '+answer',
        '-q',
        `${name}.`,
        '-t',
        type,
      ],
      '',
      deadline,
    );
    const what = `the query for ${name} ${type}`;
    if (result.timedOut) throw new Error(`${where} did not answer ${what}: timed out`);
    const output = redact(result.output);
    // dig goes on unsigned when it cannot read the key; that must not pass for a checked key.
    if (signed && /Couldn't read key/.test(output)) {
      throw new Error(`dig could not read the TSIG key for ${where}`);
    }
    if (signed && /tsig|TSIG/.test(output) && /error|failed|indicates/i.test(output)) {
      const why = /;; (Couldn't verify signature[^\n]*|[^\n]*tsig[^\n]*)/i.exec(output)?.[1];
      throw new Error(
        `${where} refused the TSIG key ${opts.keyName} (${why ?? 'signature not verified'})${hint('BADSIG')}`,
      );
    }
    const answer = parseDig(output);
    if (!answer) {
      const reason =
        /;; (?:connection timed out|communications error|Connection to )[^\n]*/.exec(
          result.output,
        )?.[0] ?? `dig exited with code ${String(result.code)}`;
      throw new Error(`${where} did not answer ${what}: ${reason.replace(/^;; /, '')}`);
    }
    return answer;
  };

  /**
   * Signed with the key, so a wrong key is reported on every publish, not only on one that has
   * something to change (the zone's records may all be in place already).
   */
  const checkZone = async (zone: string, deadline: number) => {
    // dig takes a key only from a file (not stdin): a private one, removed at once.
    const dir = await mkdtemp(join(tmpdir(), 'mailwright-tsig-'));
    const keyFile = join(dir, 'key.conf');
    let answer: Answer;
    try {
      await writeFile(
        keyFile,
        `key "${opts.keyName}" { algorithm ${algorithm}; secret "${secret}"; };\n`,
        { mode: 0o600 },
      );
      answer = await query(zone, 'SOA', deadline, keyFile);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const soa = answer.records.some((r) => r.type === 'SOA' && sameName(r.owner, zone));
    if (answer.status !== 'NOERROR' || !answer.authoritative || !soa) {
      const why = answer.status !== 'NOERROR' ? answer.status : 'no authoritative SOA';
      throw new Error(`${where} does not serve zone ${zone} (${why} for its SOA query)`);
    }
  };

  const current = async (rrset: Rrset, deadline: number) => {
    const answer = await query(rrset.host, rrset.type, deadline);
    if (answer.status !== 'NOERROR' && answer.status !== 'NXDOMAIN') {
      throw new Error(
        `${where} answered ${answer.status} to the query for ${rrset.host} ${rrset.type}`,
      );
    }
    const found = answer.records.filter(
      (r) => r.type === rrset.type && sameName(r.owner, rrset.host),
    );
    return {
      ttl: found[0]?.ttl,
      keys: unique(found.map((r) => canonicalRdata(rrset.type, r.rdata))),
    };
  };

  const update = async (zone: string, rrsets: Rrset[], deadline: number) => {
    const lines = [
      `server ${address} ${port}`,
      `key ${algorithm}:${opts.keyName} ${secret}`,
      `zone ${zone}.`,
    ];
    for (const { host, type, ttl, data } of rrsets) {
      lines.push(`update delete ${host}. ${type}`);
      for (const d of data) lines.push(`update add ${host}. ${ttl} IN ${type} ${d}`);
    }
    lines.push('send', '');
    const result = await run(
      'nsupdate',
      ['-v', '-t', String(seconds(deadline))],
      lines.join('\n'),
      deadline,
    );
    if (result.timedOut) {
      throw new Error(`${where} did not answer the update of zone ${zone}: timed out`);
    }
    if (result.code === 0) return;
    const output = redact(result.output);
    const rcode = /update failed: (\S+)/.exec(output)?.[1];
    if (rcode) {
      throw new Error(`${where} rejected the update of zone ${zone} with ${rcode}${hint(rcode)}`);
    }
    const failure = /Communication with \S+ failed: ([^\n]+)/.exec(output)?.[1];
    if (failure) {
      throw new Error(`${where} did not answer the update of zone ${zone}: ${failure.trim()}`);
    }
    const detail = output.trim().split('\n').slice(-3).join('; ');
    throw new Error(
      `nsupdate failed (exit code ${String(result.code)}) updating zone ${zone} on ${where}: ${detail}`,
    );
  };

  return {
    kind: 'rfc2136',
    async publish(zone, records) {
      const deadline = Date.now() + timeoutMs;
      const apex = fqdn(zone, 'zone');
      const rrsets = groupRrsets(apex, records);
      if (rrsets.length === 0) return { changed: 0 };
      await checkZone(apex, deadline);
      const found = await mapLimit(rrsets, READ_CONCURRENCY, (r) => current(r, deadline));
      const stale = rrsets.filter((rrset, i) => {
        const now = found[i];
        return !now || now.ttl !== rrset.ttl || now.keys.join('\n') !== rrset.keys.join('\n');
      });
      if (stale.length > 0) await update(apex, stale, deadline);
      return { changed: stale.length };
    },
  };
}

function parseServer(server: string): { address: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  const hostPort = /^([^:]+):(\d+)$/.exec(server);
  const [address, port] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : hostPort
      ? [hostPort[1] ?? '', hostPort[2]]
      : [server, undefined];
  const portNumber = port === undefined ? DEFAULT_PORT : Number(port);
  if (!isIP(address) || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    throw new Error(`Invalid RFC 2136 server ${server}: expected an IP address, optionally :port`);
  }
  return { address, port: portNumber };
}

/** Lowercase, without the trailing dot; throws unless every label is a plain DNS label. */
function fqdn(name: string, what: string): string {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower.length === 0 || lower.length > 253 || !lower.split('.').every((l) => LABEL.test(l))) {
    throw new Error(`Invalid ${what} name ${JSON.stringify(name)}`);
  }
  return lower;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b;
}

/** A name inside record data, absolute: `mx.example.net.`, or `.` for the root. */
function target(name: string | undefined, record: string): string {
  if (name === '.') return '.';
  return `${fqdn(name ?? '', `target in ${record}`)}.`;
}

/** Groups the plan by (host, type), validating every record and putting its data in update form. */
function groupRrsets(zone: string, records: PlannedRecord[]): Rrset[] {
  const byKey = new Map<string, Rrset>();
  for (const record of records) {
    const host = fqdn(record.host, 'record host');
    if (host !== zone && !host.endsWith(`.${zone}`)) {
      throw new Error(`Record ${record.host} ${record.type} lies outside zone ${zone}`);
    }
    if (!Number.isInteger(record.ttl) || record.ttl < 0 || record.ttl > 2_147_483_647) {
      throw new Error(`Invalid TTL ${record.ttl} for ${record.host} ${record.type}`);
    }
    const data = updateData(record);
    const key = canonicalRdata(record.type, data);
    const id = `${host} ${record.type}`;
    const rrset = byKey.get(id) ?? { host, type: record.type, ttl: record.ttl, data: [], keys: [] };
    // One RRset has one TTL (RFC 2181 §5.2); the lowest planned one wins.
    rrset.ttl = Math.min(rrset.ttl, record.ttl);
    if (!rrset.keys.includes(key)) {
      rrset.keys.push(key);
      rrset.data.push(data);
    }
    byKey.set(id, rrset);
  }
  const rrsets = [...byKey.values()];
  for (const rrset of rrsets) {
    if (rrset.type === 'CNAME' && rrset.data.length > 1) {
      throw new Error(`${rrset.host} is planned with ${rrset.data.length} CNAME records; one only`);
    }
    rrset.keys.sort();
  }
  return rrsets;
}

/** The record's data as nsupdate reads it: TXT in quoted ≤255-byte strings, names absolute. */
function updateData({ type, host, value }: PlannedRecord): string {
  const record = `${host} ${type}`;
  const fields = value.trim().split(/\s+/);
  const number = (field: string | undefined, max: number) => {
    if (!field || !/^\d+$/.test(field) || Number(field) > max) {
      throw new Error(`Invalid ${type} value ${JSON.stringify(value)} for ${host}`);
    }
    return String(Number(field));
  };
  switch (type) {
    case 'TXT':
      return txtStrings(value);
    case 'CNAME':
      if (fields.length !== 1) throw new Error(`Invalid CNAME value ${JSON.stringify(value)}`);
      return target(fields[0], record);
    case 'MX':
      if (fields.length !== 2) throw new Error(`Invalid MX value ${JSON.stringify(value)}`);
      return `${number(fields[0], 65535)} ${target(fields[1], record)}`;
    case 'SRV':
      if (fields.length !== 4) throw new Error(`Invalid SRV value ${JSON.stringify(value)}`);
      return `${fields
        .slice(0, 3)
        .map((f) => number(f, 65535))
        .join(' ')} ${target(fields[3], record)}`;
    case 'A':
    case 'AAAA':
      if (isIP(value.trim()) !== (type === 'A' ? 4 : 6)) {
        throw new Error(`Invalid ${type} value ${JSON.stringify(value)} for ${host}`);
      }
      return value.trim();
    default:
      throw new Error(`Unsupported record type ${String(type)} for ${host}`);
  }
}

/** dig's `+noall +comments +answer` output, or null when no response came back. */
function parseDig(output: string): Answer | null {
  const status = /->>HEADER<<- opcode: \w+, status: (\w+)/.exec(output)?.[1];
  if (!status) return null;
  const flags = /^;; flags:([^;]*);/m.exec(output)?.[1]?.trim().split(/\s+/) ?? [];
  const records: Answer['records'] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(';') || line.trim() === '') continue;
    const match = /^(\S+)\s+(\d+)\s+\S+\s+(\S+)\s*(.*)$/.exec(line);
    if (match) {
      const [, owner = '', ttl = '', type = '', rdata = ''] = match;
      records.push({ owner, ttl: Number(ttl), type: type.toUpperCase(), rdata });
    }
  }
  return { status, authoritative: flags.includes('aa'), records };
}

function hint(rcode: string): string {
  if (/BADSIG|BADKEY|BADTRUNC/.test(rcode)) {
    return ': the TSIG key name, algorithm or secret does not match the server';
  }
  if (/BADTIME/.test(rcode)) return ": this machine's clock and the server's differ too much";
  if (rcode === 'NOTAUTH') {
    return ': the server is not authoritative for the zone or does not accept this TSIG key for it';
  }
  if (rcode === 'REFUSED') return ': the server does not allow this key to update the zone';
  return '';
}

const seconds = (deadline: number) => Math.max(1, Math.ceil((deadline - Date.now()) / 1000));

const unique = (values: string[]) => [...new Set(values)].sort();

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>) {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface RunResult {
  code: number | null;
  /** stdout and stderr, interleaved as they arrived. */
  output: string;
  timedOut: boolean;
}

/** Runs a bind9-dnsutils tool, killing it (by its own pid) once the deadline passes. */
function run(command: string, args: string[], input: string, deadline: number) {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    let timedOut = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    // A tool that exits before reading stdin closes the pipe; its exit code tells what happened.
    child.stdin.on('error', () => {});
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGKILL');
      },
      Math.max(0, deadline - Date.now()),
    );
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} is not installed (Debian package bind9-dnsutils)`)
          : error,
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
    child.stdin.end(input);
  });
}
