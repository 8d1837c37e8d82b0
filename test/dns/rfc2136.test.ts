import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRecords, type DnsSettings } from '../../src/core/dns-plan.js';
import type { PlannedRecord } from '../../src/core/dns-record.js';
import { createRfc2136Provider } from '../../src/dns/providers/rfc2136.js';
import { startKnot, type KnotServer } from '../support/knot-server.js';
import { plannedRecord } from '../support/planned-record.js';
import { freePort } from '../support/ports.js';

const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('base64');
const DKIM = `v=DKIM1; k=rsa; p=${dkimKey}`;

const PLAN: PlannedRecord[] = [
  plannedRecord('MX', 'example.com', '10 mx.mailwright.example.'),
  plannedRecord('TXT', 'example.com', 'v=spf1 mx -all'),
  plannedRecord('TXT', 'mw202611._domainkey.example.com', DKIM),
  plannedRecord('TXT', '_dmarc.example.com', 'v=DMARC1; p=quarantine; sp=quarantine'),
  plannedRecord('CNAME', 'mta-sts.example.com', 'mx.mailwright.example.'),
  plannedRecord('SRV', '_imaps._tcp.example.com', '0 1 993 mx.mailwright.example.'),
  plannedRecord('SRV', '_submission._tcp.example.com', '0 1 587 mx.mailwright.example.'),
];

let knot: KnotServer;

beforeAll(async () => {
  knot = await startKnot({
    zones: ['example.com', 'example.org'],
    records: [
      'keep TXT "untouched"',
      // The same data as planned below, split and cased differently from how we would send it.
      'chunked 300 TXT "v=spf1 " "mx -all"',
      'alias 300 CNAME MX.Mailwright.Example.',
    ],
  });
});

afterAll(async () => {
  await knot?.stop();
});

const provider = (overrides: { keySecret?: string; server?: string; timeoutMs?: number } = {}) =>
  createRfc2136Provider({
    server: knot.address,
    keyName: knot.keyName,
    keySecret: knot.keySecret,
    ...overrides,
  });

// A fresh resolver per lookup, so nothing is served from a resolver cache.
const resolver = () => {
  const r = new Resolver({ timeout: 2000, tries: 1 });
  r.setServers([knot.address]);
  return r;
};
const txt = async (host: string) =>
  (await resolver().resolveTxt(host)).map((chunks) => chunks.join('')).sort();

describe('RFC 2136 provider against Knot DNS', () => {
  it('publishes every record, including a DKIM key longer than one TXT string', async () => {
    expect(DKIM.length).toBeGreaterThan(255);
    await expect(provider().publish('example.com', PLAN)).resolves.toEqual({ changed: 7 });

    expect(await resolver().resolveMx('example.com')).toEqual([
      { exchange: 'mx.mailwright.example', priority: 10 },
    ]);
    expect(await txt('example.com')).toEqual(['v=spf1 mx -all']);
    const dkim = await resolver().resolveTxt('mw202611._domainkey.example.com');
    expect(dkim).toHaveLength(1);
    expect(dkim[0]?.length).toBeGreaterThan(1);
    expect(dkim[0]?.every((chunk) => Buffer.byteLength(chunk) <= 255)).toBe(true);
    expect(dkim[0]?.join('')).toBe(DKIM);
    expect(await txt('_dmarc.example.com')).toEqual(['v=DMARC1; p=quarantine; sp=quarantine']);
    expect(await resolver().resolveCname('mta-sts.example.com')).toEqual(['mx.mailwright.example']);
    expect(await resolver().resolveSrv('_imaps._tcp.example.com')).toEqual([
      { name: 'mx.mailwright.example', port: 993, priority: 0, weight: 1 },
    ]);
    expect(await resolver().resolveSrv('_submission._tcp.example.com')).toEqual([
      { name: 'mx.mailwright.example', port: 587, priority: 0, weight: 1 },
    ]);
  });

  it('sends nothing when the server already holds the plan', async () => {
    await expect(provider().publish('example.com', PLAN)).resolves.toEqual({ changed: 0 });
  });

  it('ignores TXT chunking and name case when comparing', async () => {
    const same = [
      plannedRecord('TXT', 'chunked.example.com', 'v=spf1 mx -all', 300),
      plannedRecord('CNAME', 'alias.example.com', 'mx.mailwright.example.', 300),
    ];
    await expect(provider().publish('example.com', same)).resolves.toEqual({ changed: 0 });
  });

  it('replaces only the RRset that changed and leaves every other record alone', async () => {
    const plan = PLAN.map((r) =>
      r.type === 'TXT' && r.host === 'example.com' ? { ...r, value: 'v=spf1 mx a -all' } : r,
    );
    await expect(provider().publish('example.com', plan)).resolves.toEqual({ changed: 1 });

    expect(await txt('example.com')).toEqual(['v=spf1 mx a -all']);
    expect(await resolver().resolveMx('example.com')).toEqual([
      { exchange: 'mx.mailwright.example', priority: 10 },
    ]);
    expect(await txt('keep.example.com')).toEqual(['untouched']);
    expect(await txt('chunked.example.com')).toEqual(['v=spf1 mx -all']);
    expect(await resolver().resolve4('ns1.example.com')).toEqual(['127.0.0.1']);
    expect(await resolver().resolveNs('example.com')).toEqual(['ns1.example.com']);
    await expect(provider().publish('example.com', plan)).resolves.toEqual({ changed: 0 });
  });

  it('counts a TTL change and a multi-record RRset as one change each', async () => {
    const plan = [
      plannedRecord('TXT', '_dmarc.example.com', 'v=DMARC1; p=quarantine; sp=quarantine', 600),
      plannedRecord('MX', 'example.com', '10 mx.mailwright.example.'),
      plannedRecord('MX', 'example.com', '20 backup.mailwright.example.'),
    ];
    await expect(provider().publish('example.com', plan)).resolves.toEqual({ changed: 2 });
    const mx = await resolver().resolveMx('example.com');
    expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
      { exchange: 'mx.mailwright.example', priority: 10 },
      { exchange: 'backup.mailwright.example', priority: 20 },
    ]);
    await expect(provider().publish('example.com', plan)).resolves.toEqual({ changed: 0 });
  });

  it('publishes a real plan from planRecords idempotently', async () => {
    const settings: DnsSettings = {
      mailHost: 'mx.mailwright.example',
      imapPort: 993,
      submissionPort: 587,
      spfIncludes: [],
      dmarcPolicy: 'quarantine',
      mtaStsMode: 'testing',
      web: {},
      ttl: 3600,
    };
    const domain = {
      name: 'example.org',
      kind: 'root' as const,
      parentName: null,
      verificationToken: 'tok',
    };
    const plan = planRecords(domain, settings, [
      { selector: 'mw202611', algorithm: 'rsa', publicKeyBase64: dkimKey },
    ]);
    const rrsets = new Set(plan.map((r) => `${r.type} ${r.host}`)).size;

    await expect(provider().publish('example.org', plan)).resolves.toEqual({ changed: rrsets });
    for (const r of plan.filter((p) => p.type === 'TXT')) {
      expect(await txt(r.host)).toContain(r.value);
    }
    await expect(provider().publish('example.org', plan)).resolves.toEqual({ changed: 0 });
  });

  it('rejects a wrong TSIG secret, naming the server, before changing anything', async () => {
    const secret = randomBytes(32).toString('base64');
    const publish = provider({ keySecret: secret }).publish('example.com', [
      plannedRecord('TXT', 'bad.example.com', 'should not appear'),
    ]);
    await expect(publish).rejects.toThrow(
      new RegExp(
        `${knot.address.replace(/\./g, '\\.')} refused the TSIG key .*does not match the server`,
      ),
    );
    await publish.catch((error: Error) => expect(error.message).not.toContain(secret));
    await expect(txt('bad.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('reports a wrong TSIG key even when every record is already in place', async () => {
    const records = [plannedRecord('TXT', 'settled.example.com', 'already there')];
    await expect(provider().publish('example.com', records)).resolves.toEqual({ changed: 1 });
    await expect(provider().publish('example.com', records)).resolves.toEqual({ changed: 0 });
    const secret = randomBytes(32).toString('base64');
    const publish = provider({ keySecret: secret }).publish('example.com', records);
    await expect(publish).rejects.toThrow(/refused the TSIG key .*does not match the server/);
    await publish.catch((error: Error) => expect(error.message).not.toContain(secret));
  });

  it('rejects a zone the server does not serve', async () => {
    await expect(
      provider().publish('example.net', [plannedRecord('TXT', 'example.net', 'v=spf1 -all')]),
    ).rejects.toThrow(`DNS server ${knot.address} does not serve zone example.net (REFUSED`);
  });

  it('rejects records outside the zone before contacting the server', async () => {
    await expect(
      provider().publish('example.com', [plannedRecord('TXT', 'example.org', 'v=spf1 -all')]),
    ).rejects.toThrow('Record example.org TXT lies outside zone example.com');
  });

  it('rejects when nothing listens on the port', async () => {
    const port = await freePort();
    await expect(
      provider({ server: `127.0.0.1:${port}`, timeoutMs: 3000 }).publish('example.com', PLAN),
    ).rejects.toThrow(`DNS server 127.0.0.1:${port} did not answer`);
  });

  it('rejects within the timeout when the server never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      await expect(
        provider({ server: `127.0.0.1:${port}`, timeoutMs: 1500 }).publish('example.com', PLAN),
      ).rejects.toThrow(
        `DNS server 127.0.0.1:${port} did not answer the query for example.com SOA`,
      );
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
