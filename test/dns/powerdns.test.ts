import { Resolver } from 'node:dns/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { planRecords, type DnsSettings } from '../../src/core/dns-plan.js';
import type { PlannedRecord } from '../../src/core/dns-record.js';
import { generateDkimKeyPair } from '../../src/core/dkim-key.js';
import { createPowerDnsProvider } from '../../src/dns/providers/powerdns.js';
import { createRecordChecker } from '../../src/dns/record-checker.js';
import { startPdns, type TestPdns } from '../support/pdns-server.js';
import { plannedRecord } from '../support/planned-record.js';

const MAIL_HOST = 'mx.mailwright.test';
const ZONE = 'example.com';
const ZONE_PATH = `/api/v1/servers/localhost/zones/${ZONE}.`;

let pdns: TestPdns;
let resolver: Resolver;
let dkimKey: string;

beforeAll(async () => {
  pdns = await startPdns({ zones: [ZONE, 'example.org'] });
  resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([pdns.dnsAddress]);
  dkimKey = (await generateDkimKeyPair('rsa')).publicKeyBase64;
});
afterAll(() => pdns?.stop());
afterEach(() => {
  vi.restoreAllMocks();
});

const provider = () => createPowerDnsProvider({ apiUrl: pdns.apiUrl, apiKey: pdns.apiKey });

/** A mail domain's records, with a 2048-bit DKIM key far longer than one 255-byte TXT string. */
const fullSet = (): PlannedRecord[] => [
  plannedRecord('TXT', `mw202611._domainkey.${ZONE}`, `v=DKIM1; k=rsa; p=${dkimKey}`),
  plannedRecord('MX', ZONE, `10 ${MAIL_HOST}.`),
  plannedRecord('MX', ZONE, `20 backup.${MAIL_HOST}.`),
  plannedRecord('TXT', ZONE, 'v=spf1 mx -all'),
  plannedRecord('SRV', `_imaps._tcp.${ZONE}`, `0 1 993 ${MAIL_HOST}.`),
  plannedRecord('SRV', `_submission._tcp.${ZONE}`, `0 1 587 ${MAIL_HOST}.`),
  plannedRecord('CNAME', `mta-sts.${ZONE}`, `${MAIL_HOST}.`),
  plannedRecord(
    'TXT',
    `_dmarc.${ZONE}`,
    'v=DMARC1; p=quarantine; sp=quarantine; rua=mailto:d@x.test',
  ),
  // Quotes, a backslash and non-ASCII survive the quoting and are compared byte for byte.
  plannedRecord('TXT', `_odd.${ZONE}`, 'say "hi" \\ café'),
];

/** Counts the API calls this test makes by HTTP method. */
function countRequests() {
  const real = globalThis.fetch;
  const methods: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    methods.push(init?.method ?? 'GET');
    return real(input, init);
  });
  return methods;
}

const txt = async (host: string) => (await resolver.resolveTxt(host)).map((s) => s.join(''));

describe('PowerDNS provider', () => {
  it('publishes every record so the server answers it, TXT over 255 bytes included', async () => {
    expect(dkimKey.length).toBeGreaterThan(255);
    const methods = countRequests();
    await expect(provider().publish(ZONE, fullSet())).resolves.toEqual({ changed: 8 });
    expect(methods).toEqual(['GET', 'PATCH']);

    const dkim = await resolver.resolveTxt(`mw202611._domainkey.${ZONE}`);
    expect(dkim).toHaveLength(1);
    expect(dkim[0]!.length).toBeGreaterThan(1);
    expect(dkim[0]!.every((s) => Buffer.byteLength(s) <= 255)).toBe(true);
    expect(dkim[0]!.join('')).toBe(`v=DKIM1; k=rsa; p=${dkimKey}`);

    const mx = await resolver.resolveMx(ZONE);
    expect(mx.sort((a, b) => a.priority - b.priority)).toEqual([
      { priority: 10, exchange: MAIL_HOST },
      { priority: 20, exchange: `backup.${MAIL_HOST}` },
    ]);
    expect(await txt(ZONE)).toEqual(['v=spf1 mx -all']);
    expect(await resolver.resolveSrv(`_imaps._tcp.${ZONE}`)).toEqual([
      { priority: 0, weight: 1, port: 993, name: MAIL_HOST },
    ]);
    expect(await resolver.resolveSrv(`_submission._tcp.${ZONE}`)).toEqual([
      { priority: 0, weight: 1, port: 587, name: MAIL_HOST },
    ]);
    expect(await resolver.resolveCname(`mta-sts.${ZONE}`)).toEqual([MAIL_HOST]);
    expect(await txt(`_dmarc.${ZONE}`)).toEqual([
      'v=DMARC1; p=quarantine; sp=quarantine; rua=mailto:d@x.test',
    ]);
    const odd = await resolver.resolveTxt(`_odd.${ZONE}`);
    // Node decodes the bytes as latin1-ish text; compare the bytes themselves.
    expect(Buffer.from(odd[0]!.join(''), 'latin1')).toEqual(Buffer.from('say "hi" \\ café'));
  });

  it('publishes the same plan again without sending any change', async () => {
    await provider().publish(ZONE, fullSet());
    const methods = countRequests();
    await expect(provider().publish(ZONE, fullSet())).resolves.toEqual({ changed: 0 });
    expect(methods).toEqual(['GET']);
    // Host names in another case, values with other spacing and names without the trailing dot
    // are the same records.
    const same = fullSet().map((r) => ({
      ...r,
      host: r.host.toUpperCase(),
      value: r.type === 'TXT' ? r.value : r.value.replace(/\.$/, '').replace(/ /g, '  '),
    }));
    await expect(provider().publish(`${ZONE.toUpperCase()}.`, same)).resolves.toEqual({
      changed: 0,
    });
    expect(methods).toEqual(['GET', 'GET']);
  });

  it('replaces only the RRset that changed and leaves every other record alone', async () => {
    // A record Mailwright never planned, added by someone else.
    const foreign = await pdns.api('PATCH', ZONE_PATH, {
      rrsets: [
        {
          name: `www.${ZONE}.`,
          type: 'A',
          ttl: 300,
          changetype: 'REPLACE',
          records: [{ content: '192.0.2.10', disabled: false }],
        },
      ],
    });
    expect(foreign.status).toBe(204);
    await provider().publish(ZONE, fullSet());

    const changed = fullSet().map((r) =>
      r.host === `_dmarc.${ZONE}` ? { ...r, value: 'v=DMARC1; p=reject; sp=reject' } : r,
    );
    const methods = countRequests();
    await expect(provider().publish(ZONE, changed)).resolves.toEqual({ changed: 1 });
    expect(methods).toEqual(['GET', 'PATCH']);
    expect(await txt(`_dmarc.${ZONE}`)).toEqual(['v=DMARC1; p=reject; sp=reject']);

    // Records outside the changed RRset are untouched, planned or not.
    expect(await resolver.resolve4(`www.${ZONE}`)).toEqual(['192.0.2.10']);
    expect(await txt(ZONE)).toEqual(['v=spf1 mx -all']);
    expect((await resolver.resolveMx(ZONE)).length).toBe(2);
    expect(await resolver.resolveCname(`mta-sts.${ZONE}`)).toEqual([MAIL_HOST]);

    // Publishing a subset of the plan touches only that subset.
    const onlySpf = [plannedRecord('TXT', ZONE, 'v=spf1 mx include:_spf.relay.test -all')];
    await expect(provider().publish(ZONE, onlySpf)).resolves.toEqual({ changed: 1 });
    expect(await txt(ZONE)).toEqual(['v=spf1 mx include:_spf.relay.test -all']);
    expect(await txt(`_dmarc.${ZONE}`)).toEqual(['v=DMARC1; p=reject; sp=reject']);
  });

  it('counts a TTL change and a value another tool split differently', async () => {
    const dmarc = plannedRecord('TXT', `_dmarc.${ZONE}`, 'v=DMARC1; p=reject; sp=reject', 600);
    await expect(provider().publish(ZONE, [dmarc])).resolves.toEqual({ changed: 1 });
    const zone = await pdns.api('GET', ZONE_PATH);
    const rrset = zone.body.rrsets.find(
      (r: any) => r.name === `_dmarc.${ZONE}.` && r.type === 'TXT',
    );
    expect(rrset.ttl).toBe(600);

    // The same logical string stored as two quoted strings is the same record.
    const split = await pdns.api('PATCH', ZONE_PATH, {
      rrsets: [
        {
          name: `_dmarc.${ZONE}.`,
          type: 'TXT',
          ttl: 600,
          changetype: 'REPLACE',
          records: [{ content: '"v=DMARC1; " "p=reject; sp=reject"', disabled: false }],
        },
      ],
    });
    expect(split.status).toBe(204);
    await expect(provider().publish(ZONE, [dmarc])).resolves.toEqual({ changed: 0 });
  });

  it('publishes a real plan that the record checker then finds complete', async () => {
    const settings: DnsSettings = {
      mailHost: MAIL_HOST,
      imapPort: 993,
      submissionPort: 587,
      spfIncludes: [],
      dmarcRua: 'mailto:dmarc@mailwright.test',
      dmarcPolicy: 'quarantine',
      mtaStsMode: 'testing',
      web: {},
      ttl: 3600,
    };
    const plan = planRecords(
      { name: 'example.org', kind: 'root', parentName: null, verificationToken: 'tok123' },
      settings,
      [{ selector: 'mw202611', algorithm: 'rsa', publicKeyBase64: dkimKey }],
    );
    await expect(provider().publish('example.org', plan)).resolves.toEqual({
      changed: plan.length,
    });
    await expect(provider().publish('example.org', plan)).resolves.toEqual({ changed: 0 });

    const checked = await createRecordChecker({
      servers: [pdns.dnsAddress],
      mailHost: MAIL_HOST,
    }).check(plan);
    expect(checked.map((r) => [r.type, r.host, r.status])).toEqual(
      plan.map((r) => [r.type, r.host, 'ok']),
    );
  });

  it('rejects a wrong API key with a message naming the URL and 401, not the key', async () => {
    const badKey = 'not-the-key-0123456789';
    const err = await createPowerDnsProvider({ apiUrl: pdns.apiUrl, apiKey: badKey })
      .publish(ZONE, fullSet())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain('401');
    expect(message).toContain(pdns.apiUrl);
    expect(message).toMatch(/API key/);
    expect(message).not.toContain(badKey);
    expect(message).not.toContain(pdns.apiKey);
  });

  it('rejects a zone PowerDNS does not have, and data it refuses, with its reason', async () => {
    await expect(
      provider().publish('missing.example', [plannedRecord('TXT', 'missing.example', 'x')]),
    ).rejects.toThrow(/missing\.example\..*HTTP 404/);

    // A CNAME beside other data at the same name breaks RFC 1034; PowerDNS answers 422.
    const err = await provider()
      .publish(ZONE, [plannedRecord('CNAME', ZONE, `${MAIL_HOST}.`)])
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/HTTP 422: .*CNAME/i);
    expect((err as Error).message).toContain(pdns.apiUrl);
  });

  it('refuses records outside the zone before calling the API', async () => {
    const methods = countRequests();
    await expect(
      provider().publish(ZONE, [plannedRecord('TXT', 'example.net', 'v=spf1 -all')]),
    ).rejects.toThrow(/outside the zone example\.com\./);
    expect(methods).toEqual([]);
  });

  it('rejects quickly when nothing listens at the API URL', async () => {
    const port = await closedPort();
    const apiUrl = `http://127.0.0.1:${port}`;
    const started = Date.now();
    const err = await createPowerDnsProvider({ apiUrl, apiKey: 'k', timeoutMs: 2000 })
      .publish(ZONE, fullSet())
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((err as Error).message).toContain(apiUrl);
    expect((err as Error).message).toMatch(/could not be reached.*ECONNREFUSED/);
  });

  it('gives up after timeoutMs when the API accepts but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const apiUrl = `http://127.0.0.1:${port}`;
    try {
      const started = Date.now();
      const err = await createPowerDnsProvider({ apiUrl, apiKey: 'k', timeoutMs: 300 })
        .publish(ZONE, fullSet())
        .catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(2000);
      expect((err as Error).message).toContain(apiUrl);
      expect((err as Error).message).toMatch(/did not answer within 300 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

/** A loopback port that was free a moment ago, so connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
