import { generateKeyPairSync } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { planRecords, type DnsSettings } from '../src/core/dns-plan.js';
import type { PlannedRecord } from '../src/core/dns-record.js';
import { createRecordChecker, DEFAULT_CONCURRENCY } from '../src/dns/record-checker.js';
import { startDnsServer } from '../test/support/dns-server.js';
import { collectGarbage, inParallel, log, type Row, type Suite } from './support.js';

const DOMAINS = 1000;
const WARMUP_DOMAINS = 100;
const MAIL_HOST = 'mx.mailwright.bench';
const SETTINGS: DnsSettings = {
  mailHost: MAIL_HOST,
  imapPort: 993,
  submissionPort: 587,
  spfIncludes: ['_spf.relay.bench'],
  dmarcRua: 'mailto:dmarc@mailwright.bench',
  dmarcPolicy: 'quarantine',
  mtaStsMode: 'testing',
  ttl: 3600,
};

/**
 * What each domain's plan asks for: ownership, MX, SPF, one RSA-2048 DKIM key, DMARC, MTA-STS
 * (TXT and CNAME), TLS-RPT and two SRV records, i.e. ten records and ten lookups per domain.
 */
function plan(prefix: string, count: number, publicKeyBase64: string): PlannedRecord[] {
  const dkim = [{ selector: 'mw202611', algorithm: 'rsa' as const, publicKeyBase64 }];
  return Array.from({ length: count }, (_, i) =>
    planRecords(
      { name: `${prefix}${i}.bench`, kind: 'root', parentName: null, verificationToken: `t${i}` },
      SETTINGS,
      dkim,
    ),
  ).flat();
}

const cpuTotalMs = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1000;

/**
 * A live check of 1,000 domains' planned records with one checker against the loopback test DNS
 * server (dns2), all published and correct so every record is compared in full. The server runs
 * in this process and is pure JavaScript, so it shares the one event loop with the checker. The
 * same lookups sent straight through a node:dns Resolver, with the same concurrency, measure
 * what the server itself allows: the checker cannot beat that figure, and the gap between the
 * two (in wall and CPU time) is roughly the checker's own cost; roughly, because the garbage
 * collection of dns2's many small allocations falls into either run.
 */
export const dnsCheck: Suite = {
  name: 'dns-check',
  async run(): Promise<Row[]> {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64');
    const dns = await startDnsServer();
    try {
      dns.setTxt('_spf.relay.bench', ['v=spf1 ip4:192.0.2.0/24 -all']);
      const warmup = plan('warm', WARMUP_DOMAINS, key);
      const records = plan('domain', DOMAINS, key);
      dns.publish([...warmup, ...records]);
      const checker = createRecordChecker({ servers: [dns.address], mailHost: MAIL_HOST });

      // Not counted: JIT of the checker, c-ares and dns2's encoder.
      await checker.check(warmup);
      collectGarbage();

      log(`checking ${records.length.toLocaleString('en-US')} records of ${DOMAINS} domains…`);
      const queriesBefore = dns.queryCount();
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      const checked = await checker.check(records);
      const wallMs = performance.now() - start;
      const cpuMs = cpuTotalMs(process.cpuUsage(cpuBefore));
      const lookups = dns.queryCount() - queriesBefore;
      const notOk = checked.filter((r) => r.status !== 'ok');
      if (notOk.length > 0) {
        throw new Error(
          `${notOk.length} records not ok, e.g. ${notOk[0]!.type} ${notOk[0]!.host}: ${notOk[0]!.status} ${notOk[0]!.hint}`,
        );
      }

      // The same distinct (host, type) queries, no checking: the server's own limit.
      const queries = [
        ...new Map(records.map((r) => [`${r.type} ${r.host}`, r])).values(),
        { type: 'TXT' as const, host: '_spf.relay.bench' },
      ];
      const resolver = new Resolver({ timeout: 3000, tries: 2 });
      resolver.setServers([dns.address]);
      const resolve = {
        TXT: (host: string) => resolver.resolveTxt(host),
        MX: (host: string) => resolver.resolveMx(host),
        SRV: (host: string) => resolver.resolveSrv(host),
        CNAME: (host: string) => resolver.resolveCname(host),
      };
      collectGarbage();
      const rawCpuBefore = process.cpuUsage();
      const rawStart = performance.now();
      await inParallel(queries.length, DEFAULT_CONCURRENCY, async (i) => {
        const { type, host } = queries[i]!;
        await resolve[type](`${host}.`);
      });
      const rawMs = performance.now() - rawStart;
      const rawCpuMs = cpuTotalMs(process.cpuUsage(rawCpuBefore));
      log(
        `checker: ${wallMs.toFixed(0)} ms (${cpuMs.toFixed(0)} ms CPU) for ${lookups} queries; bare resolver: ${rawMs.toFixed(0)} ms (${rawCpuMs.toFixed(0)} ms CPU) for ${queries.length}`,
      );

      return [
        {
          benchmark: `dns-check: live check of ${DOMAINS.toLocaleString('en-US')} domains (${records.length.toLocaleString('en-US')} records), wall`,
          result: wallMs,
          unit: 'ms',
          target: { op: '<', value: 1000 },
        },
        {
          benchmark: `  lookups/s (${lookups.toLocaleString('en-US')} queries the server received, ${DEFAULT_CONCURRENCY} in flight)`,
          result: (lookups / wallMs) * 1000,
          unit: 'queries/s',
        },
        {
          benchmark: `  same queries through a bare Resolver, no checking: dns2's limit`,
          result: (queries.length / rawMs) * 1000,
          unit: 'queries/s',
        },
        {
          benchmark: '  CPU time of the check (server and checker share the process)',
          result: cpuMs,
          unit: 'ms',
        },
        {
          benchmark: '  CPU time of the bare queries: what the server and c-ares cost',
          result: rawCpuMs,
          unit: 'ms',
        },
      ];
    } finally {
      await dns.close();
    }
  },
};
