import { describe, expect, it } from 'vitest';
import { planRecords, type DnsSettings } from '../../src/core/dns-plan.js';
import { mtaStsId, mtaStsPolicy } from '../../src/core/mta-sts.js';

const settings: DnsSettings = {
  mailHost: 'mx.mailwright.example',
  imapPort: 993,
  submissionPort: 587,
  spfIncludes: ['_spf.relay.example'],
  dmarcRua: 'mailto:dmarc@reports.example',
  dmarcPolicy: 'quarantine',
  mtaStsMode: 'testing',
  web: {},
  ttl: 3600,
};

const root = {
  name: 'example.com',
  kind: 'root' as const,
  parentName: null,
  verificationToken: 'tok',
};
const sub = {
  ...root,
  name: 'sales.example.com',
  kind: 'subdomain' as const,
  parentName: 'example.com',
};
const rsa = { selector: 'mw202611', algorithm: 'rsa' as const, publicKeyBase64: 'UlNB' };
const ed = { selector: 'mw202611e', algorithm: 'ed25519' as const, publicKeyBase64: 'RUQ=' };

const rows = (records: ReturnType<typeof planRecords>) =>
  records.map((r) => [r.type, r.host, r.value]);

describe('planRecords', () => {
  it('plans every record of a root domain, in the documented order', () => {
    expect(rows(planRecords(root, settings, [rsa, ed]))).toEqual([
      ['TXT', '_mailwright.example.com', 'mailwright-verification=tok'],
      ['MX', 'example.com', '10 mx.mailwright.example.'],
      ['TXT', 'example.com', 'v=spf1 mx include:_spf.relay.example -all'],
      ['TXT', 'mw202611._domainkey.example.com', 'v=DKIM1; k=rsa; p=UlNB'],
      ['TXT', 'mw202611e._domainkey.example.com', 'v=DKIM1; k=ed25519; p=RUQ='],
      [
        'TXT',
        '_dmarc.example.com',
        'v=DMARC1; p=quarantine; sp=quarantine; rua=mailto:dmarc@reports.example',
      ],
      ['TXT', '_mta-sts.example.com', 'v=STSv1; id=0b446f55a277777dd038'],
      ['CNAME', 'mta-sts.example.com', 'mx.mailwright.example.'],
      ['TXT', '_smtp._tls.example.com', 'v=TLSRPTv1; rua=mailto:dmarc@reports.example'],
      ['SRV', '_imaps._tcp.example.com', '0 1 993 mx.mailwright.example.'],
      ['SRV', '_submission._tcp.example.com', '0 1 587 mx.mailwright.example.'],
    ]);
  });

  it("gives a sub-domain its own records, its own DMARC and its root's ownership record", () => {
    expect(rows(planRecords(sub, settings, [rsa]))).toEqual([
      ['TXT', '_mailwright.example.com', 'mailwright-verification=tok'],
      ['MX', 'sales.example.com', '10 mx.mailwright.example.'],
      ['TXT', 'sales.example.com', 'v=spf1 mx include:_spf.relay.example -all'],
      ['TXT', 'mw202611._domainkey.sales.example.com', 'v=DKIM1; k=rsa; p=UlNB'],
      [
        'TXT',
        '_dmarc.sales.example.com',
        'v=DMARC1; p=quarantine; rua=mailto:dmarc@reports.example',
      ],
      ['TXT', '_mta-sts.sales.example.com', 'v=STSv1; id=0b446f55a277777dd038'],
      ['CNAME', 'mta-sts.sales.example.com', 'mx.mailwright.example.'],
      ['TXT', '_smtp._tls.sales.example.com', 'v=TLSRPTv1; rua=mailto:dmarc@reports.example'],
      ['SRV', '_imaps._tcp.sales.example.com', '0 1 993 mx.mailwright.example.'],
      ['SRV', '_submission._tcp.sales.example.com', '0 1 587 mx.mailwright.example.'],
    ]);
  });

  it('says in one sentence what breaks without each record, naming the sub-domain DMARC choice', () => {
    const records = planRecords(sub, settings, [rsa]);
    for (const r of records) {
      expect(r.purpose).toMatch(/^Without (it|this)/);
      expect(r.purpose).toMatch(/\.$/);
      expect(r.purpose.slice(0, -1)).not.toContain('. ');
      expect(r.ttl).toBe(3600);
    }
    const dmarc = records.find((r) => r.host === '_dmarc.sales.example.com')!;
    expect(dmarc.purpose).toContain('own record');
    expect(dmarc.purpose).toContain('sp= policy of example.com');
    expect(records[0]!.purpose).toContain('shared with the root');
  });

  it('leaves rua out of DMARC without a report address, and sends TLS reports to postmaster', () => {
    const { dmarcRua: _unused, ...bare } = settings;
    const records = planRecords(root, { ...bare, spfIncludes: [], dmarcPolicy: 'reject' }, [rsa]);
    const value = (host: string) => records.find((r) => r.host === host)?.value;
    expect(value('_dmarc.example.com')).toBe('v=DMARC1; p=reject; sp=reject');
    expect(value('_smtp._tls.example.com')).toBe('v=TLSRPTv1; rua=mailto:postmaster@example.com');
    expect(records.find((r) => r.type === 'TXT' && r.host === 'example.com')?.value).toBe(
      'v=spf1 mx -all',
    );
  });

  it('names the implicit-TLS submission service when the port is 465', () => {
    const records = planRecords(root, { ...settings, submissionPort: 465, ttl: 300 }, [rsa]);
    expect(records.at(-1)).toMatchObject({
      host: '_submissions._tcp.example.com',
      value: '0 1 465 mx.mailwright.example.',
      ttl: 300,
    });
  });

  it('changes the MTA-STS id exactly when the policy changes', () => {
    const id = (s: DnsSettings) =>
      planRecords(root, s, [rsa]).find((r) => r.host === '_mta-sts.example.com')?.value;
    expect(id({ ...settings, spfIncludes: [] })).toBe(id(settings));
    expect(id({ ...settings, mtaStsMode: 'enforce' })).not.toBe(id(settings));
    expect(id({ ...settings, mailHost: 'mx2.mailwright.example' })).not.toBe(id(settings));
  });
});

describe('mtaStsPolicy', () => {
  it('is the RFC 8461 policy naming the mail host', () => {
    expect(mtaStsPolicy('testing', 'mx.mailwright.example')).toBe(
      'version: STSv1\nmode: testing\nmx: mx.mailwright.example\nmax_age: 86400\n',
    );
    expect(mtaStsPolicy('enforce', 'mx.mailwright.example')).toContain('max_age: 604800\n');
  });

  it('has an id of 1–32 letters and digits', () => {
    expect(mtaStsId(mtaStsPolicy('testing', 'mx.mailwright.example'))).toMatch(
      /^[a-zA-Z0-9]{1,32}$/,
    );
  });
});
