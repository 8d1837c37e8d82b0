import { generateKeyPairSync } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRecords, type DnsSettings } from '../../src/core/dns-plan.js';
import type { PlannedRecord } from '../../src/core/dns-record.js';
import { createRecordChecker, summarize } from '../../src/dns/record-checker.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { plannedRecord } from '../support/planned-record.js';

const MAIL_HOST = 'mx.mailwright.test';
const RSA_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('base64');

/** One of each kind of record the plan asks for, at `domain`. */
const recordsFor = (domain: string): PlannedRecord[] => [
  plannedRecord('TXT', `_mailwright.${domain}`, 'mailwright-verification=token123'),
  plannedRecord('MX', domain, `10 ${MAIL_HOST}.`),
  plannedRecord('TXT', domain, 'v=spf1 mx include:_spf.relay.test -all'),
  plannedRecord('TXT', `mw1._domainkey.${domain}`, `v=DKIM1; k=rsa; p=${RSA_KEY}`),
  plannedRecord(
    'TXT',
    `_dmarc.${domain}`,
    'v=DMARC1; p=quarantine; rua=mailto:dmarc@mailwright.test',
  ),
  plannedRecord('TXT', `_mta-sts.${domain}`, 'v=STSv1; id=20261125'),
  plannedRecord('CNAME', `mta-sts.${domain}`, `${MAIL_HOST}.`),
  plannedRecord('TXT', `_smtp._tls.${domain}`, 'v=TLSRPTv1; rua=mailto:dmarc@mailwright.test'),
  plannedRecord('SRV', `_imaps._tcp.${domain}`, `0 1 993 ${MAIL_HOST}.`),
];

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
  dns.setTxt('_spf.relay.test', ['v=spf1 ip4:192.0.2.0/24 -all']);
});
afterAll(() => dns.close());

const checker = (timeoutMs = 2000, concurrency?: number) =>
  createRecordChecker({ servers: [dns.address], mailHost: MAIL_HOST, timeoutMs, concurrency });

/** The checked records of `domain`, in recordsFor's order. */
const checkDomain = (domain: string) => checker().check(recordsFor(domain));

describe('record checker against a real DNS server', () => {
  it('finds every kind of record ok, in input order, in presentation form', async () => {
    dns.publish(recordsFor('good.test'));
    // The DKIM key is longer than one DNS string, so it is served in pieces and joined.
    expect(RSA_KEY.length).toBeGreaterThan(255);
    const checked = await checkDomain('good.test');
    expect(checked.map((r) => [r.type, r.host, r.status, r.hint])).toEqual(
      recordsFor('good.test').map((r) => [r.type, r.host, 'ok', '']),
    );
    expect(checked.map((r) => r.found)).toEqual(recordsFor('good.test').map((r) => [r.value]));
    expect(summarize(checked)).toEqual({ ready: true, failing: [] });
  });

  it('reports NXDOMAIN and NODATA as missing, with what to add', async () => {
    // Only the MX exists, so its name answers NODATA for TXT, every other name NXDOMAIN.
    dns.setRecords('missing.test', 'MX', [`10 ${MAIL_HOST}.`]);
    const checked = await checkDomain('missing.test');
    expect(checked.map((r) => r.status)).toEqual([
      'missing',
      'ok',
      'missing',
      'missing',
      'missing',
      'missing',
      'missing',
      'missing',
      'missing',
    ]);
    expect(checked.map((r) => r.hint)).toEqual([
      'Add a TXT record at _mailwright.missing.test with the value "mailwright-verification=token123".',
      '',
      'Add a TXT record at missing.test with the value "v=spf1 mx include:_spf.relay.test -all".',
      `Add a TXT record at mw1._domainkey.missing.test with the value "v=DKIM1; k=rsa; p=${RSA_KEY}".`,
      'Add a TXT record at _dmarc.missing.test with the value "v=DMARC1; p=quarantine; rua=mailto:dmarc@mailwright.test".',
      'Add a TXT record at _mta-sts.missing.test with the value "v=STSv1; id=20261125".',
      `Add a CNAME record at mta-sts.missing.test pointing to ${MAIL_HOST}.`,
      'Add a TXT record at _smtp._tls.missing.test with the value "v=TLSRPTv1; rua=mailto:dmarc@mailwright.test".',
      `Add an SRV record at _imaps._tcp.missing.test with priority 0, weight 1, port 993 and target ${MAIL_HOST}.`,
    ]);
    expect(summarize(checked)).toMatchObject({ ready: false, failing: { length: 8 } });
    expect(summarize(checked).failing[0]).toEqual({
      type: 'TXT',
      host: '_mailwright.missing.test',
      status: 'missing',
      hint: checked[0]!.hint,
    });
  });

  it('reports records that differ as mismatches, saying what to change', async () => {
    const d = 'wrong.test';
    dns.publish(recordsFor(d));
    dns.setTxt(`_mailwright.${d}`, ['mailwright-verification=somebody-else', 'v=spf1 -all']);
    dns.setRecords(d, 'MX', [`10 ${MAIL_HOST}.`, '5 mail.oldhost.test.']);
    dns.setTxt(d, ['v=spf1 include:_spf.relay.test -all']);
    dns.setTxt(`mw1._domainkey.${d}`, ['v=DKIM1; k=rsa; p=']);
    dns.setTxt(`_dmarc.${d}`, ['v=DMARC1; p=none; rua=mailto:dmarc@mailwright.test']);
    dns.setTxt(`_mta-sts.${d}`, ['v=STSv1; id=20200101']);
    dns.setRecords(`mta-sts.${d}`, 'CNAME', ['policy.oldhost.test.']);
    dns.setTxt(`_smtp._tls.${d}`, [
      'v=TLSRPTv1; rua=mailto:dmarc@mailwright.test',
      'v=TLSRPTv1; rua=mailto:old@example.com',
    ]);
    dns.setRecords(`_imaps._tcp.${d}`, 'SRV', [`0 1 143 ${MAIL_HOST}.`]);

    const checked = await checkDomain(d);
    expect(checked.map((r) => r.status)).toEqual(Array(9).fill('mismatch'));
    const hints = checked.map((r) => r.hint);
    expect(hints[0]).toBe(
      'Change the TXT record at _mailwright.wrong.test from "mailwright-verification=somebody-else" to "mailwright-verification=token123".',
    );
    expect(hints[1]).toContain('"5 mail.oldhost.test." before or instead of mx.mailwright.test');
    expect(hints[2]).toContain('add "mx"');
    expect(hints[3]).toContain('revoked');
    expect(hints[4]).toContain('change it to p=quarantine');
    expect(hints[5]).toBe(
      'Change the TXT record at _mta-sts.wrong.test from "v=STSv1; id=20200101" to "v=STSv1; id=20261125".',
    );
    expect(hints[6]).toBe(
      `Change the CNAME record at mta-sts.wrong.test to point to ${MAIL_HOST} instead of policy.oldhost.test.`,
    );
    expect(hints[7]).toContain('has 2 "v=tlsrptv1" records');
    expect(hints[8]).toBe(
      `Change the SRV record at _imaps._tcp.wrong.test from "0 1 143 ${MAIL_HOST}." to "0 1 993 ${MAIL_HOST}.".`,
    );
    expect(checked[1]!.found).toEqual([`10 ${MAIL_HOST}.`, '5 mail.oldhost.test.']);
  });

  it('accepts MX backups after ours and compares names case-insensitively', async () => {
    dns.setRecords('backup.test', 'MX', ['20 backup.example.net.', `10 MX.Mailwright.Test.`]);
    const [checked] = await checker().check([
      plannedRecord('MX', 'backup.test', `10 ${MAIL_HOST}.`),
    ]);
    expect(checked).toMatchObject({ status: 'ok', hint: '' });
  });

  it('follows SPF includes through the resolver and counts their lookups', async () => {
    const includes = Array.from({ length: 5 }, (_, i) => `_spf${i}.deep.test`);
    for (const host of includes) dns.setTxt(host, ['v=spf1 a mx -all']);
    dns.setTxt('deep.test', [`v=spf1 mx ${includes.map((h) => `include:${h}`).join(' ')} -all`]);
    const [checked] = await checker().check([plannedRecord('TXT', 'deep.test', 'v=spf1 mx -all')]);
    // 1 + 5 includes + 5 × 2 inside them = 16.
    expect(checked!.status).toBe('mismatch');
    expect(checked!.hint).toContain('needs more than 10 DNS lookups');
  });

  it('reports SERVFAIL as an error naming it', async () => {
    dns.servfail('_dmarc.broken.test');
    const [checked] = await checker().check([
      plannedRecord('TXT', '_dmarc.broken.test', 'v=DMARC1; p=reject'),
    ]);
    expect(checked).toMatchObject({ status: 'error', found: [] });
    expect(checked!.hint).toContain('(SERVFAIL)');
  });

  it('reports a name the server never answers as a timeout error within the timeout', async () => {
    dns.silence('silent.test');
    dns.publish(recordsFor('fast.test'));
    const started = performance.now();
    const checked = await checker(300).check([
      plannedRecord('MX', 'silent.test', `10 ${MAIL_HOST}.`),
      ...recordsFor('fast.test'),
    ]);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(600);
    expect(checked[0]).toMatchObject({ status: 'error', found: [] });
    expect(checked[0]!.hint).toContain('within 300 ms (timeout)');
    expect(checked.slice(1).every((r) => r.status === 'ok')).toBe(true);
  });

  it('reports a server that never answers anything as timeouts, not a hang', async () => {
    const mute = createSocket('udp4');
    await new Promise<void>((bound) => mute.bind(0, '127.0.0.1', bound));
    try {
      const deaf = createRecordChecker({
        servers: [`127.0.0.1:${mute.address().port}`],
        mailHost: MAIL_HOST,
        timeoutMs: 300,
      });
      const started = performance.now();
      const checked = await deaf.check(recordsFor('any.test'));
      expect(performance.now() - started).toBeLessThan(600);
      expect(checked.map((r) => r.status)).toEqual(Array(9).fill('error'));
      expect(checked[2]!.hint).toContain('did not answer the TXT query for any.test');
    } finally {
      mute.close();
    }
  });

  it('reports a server address nothing listens on as an error, not a crash', async () => {
    const unreachable = createRecordChecker({ servers: ['127.0.0.1:9'], mailHost: MAIL_HOST });
    const [checked] = await unreachable.check([
      plannedRecord('MX', 'any.test', `10 ${MAIL_HOST}.`),
    ]);
    expect(checked).toMatchObject({ status: 'error' });
    expect(checked!.hint).toContain('ECONNREFUSED');
  });

  it('looks each (host, type) up once per check, and again in the next check', async () => {
    dns.publish(recordsFor('dedup.test'));
    dns.setTxt('dedup.test', ['v=spf1 mx include:_spf.relay.test -all', 'other-proof=1']);
    const records = [
      ...recordsFor('dedup.test'),
      plannedRecord('TXT', 'dedup.test', 'other-proof=1'),
      ...recordsFor('dedup.test'),
    ];
    const check = checker();
    const checked = await check.check(records);
    expect(checked.every((r) => r.status === 'ok')).toBe(true);
    expect(dns.queryCount('dedup.test')).toBe(9);
    await check.check(records);
    expect(dns.queryCount('dedup.test')).toBe(18);
  });

  it('keeps at most `concurrency` lookups in flight', async () => {
    const hosts = Array.from({ length: 6 }, (_, i) => `slow${i}.test`);
    for (const host of hosts) dns.silence(host);
    const started = performance.now();
    await checker(100, 2).check(hosts.map((host) => plannedRecord('MX', host, `10 ${MAIL_HOST}.`)));
    // Six lookups, two at a time, each waiting out its 100 ms: three rounds.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('checks 200 planned domains concurrently, each record against its own answers', async () => {
    const settings: DnsSettings = {
      mailHost: MAIL_HOST,
      imapPort: 993,
      submissionPort: 587,
      spfIncludes: ['_spf.relay.test'],
      dmarcRua: 'mailto:dmarc@mailwright.test',
      dmarcPolicy: 'quarantine',
      mtaStsMode: 'testing',
      web: {},
      ttl: 3600,
    };
    const dkim = [{ selector: 'mw202611', algorithm: 'rsa' as const, publicKeyBase64: RSA_KEY }];
    const planned = Array.from({ length: 200 }, (_, i) =>
      planRecords(
        {
          name: `bulk${i}.test`,
          kind: 'root',
          parentName: null,
          verificationToken: `token${i}`,
        },
        settings,
        dkim,
      ),
    );
    for (const records of planned) dns.publish(records);
    // Every 7th domain points its MX elsewhere, every 11th has no DMARC record.
    const brokenMx = (i: number) => i % 7 === 0;
    const noDmarc = (i: number) => i % 11 === 0;
    planned.forEach((records, i) => {
      if (brokenMx(i)) dns.setRecords(`bulk${i}.test`, 'MX', ['10 elsewhere.test.']);
      if (noDmarc(i)) dns.setTxt(`_dmarc.bulk${i}.test`, ['not dmarc']);
    });

    const checked = await checker(5000, 32).check(planned.flat());
    expect(checked).toHaveLength(planned.flat().length);
    let at = 0;
    planned.forEach((records, i) => {
      const mine = checked.slice(at, at + records.length);
      at += records.length;
      expect(mine.map((r) => r.host)).toEqual(records.map((r) => r.host));
      const statuses = new Map(mine.map((r) => [`${r.type} ${r.host}`, r.status]));
      expect(statuses.get(`MX bulk${i}.test`)).toBe(brokenMx(i) ? 'mismatch' : 'ok');
      expect(statuses.get(`TXT _dmarc.bulk${i}.test`)).toBe(noDmarc(i) ? 'missing' : 'ok');
      const failing = summarize(mine).failing.length;
      expect(failing).toBe(Number(brokenMx(i)) + Number(noDmarc(i)));
    });
  });
});
