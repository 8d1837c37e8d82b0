import { describe, expect, it } from 'vitest';
import type { Lookup } from '../../src/dns/lookup.js';
import { checkSpf, isSpfRecord, parseSpf } from '../../src/dns/spf.js';

const HOST = 'example.com';
const MAIL_HOST = 'mx.mailwright.test';
const OURS = 'v=spf1 mx -all';

/** `lookupTxt` over a fixed zone; names not in it are NXDOMAIN, `failing` ones time out. */
function zone(records: Record<string, string[]>, failing: string[] = []) {
  const asked: string[] = [];
  const lookupTxt = async (host: string): Promise<Lookup> => {
    asked.push(host);
    if (failing.includes(host)) return { status: 'timeout', answers: [], message: 'timeout' };
    const answers = records[host];
    return answers
      ? { status: 'ok', answers }
      : { status: 'nxdomain', answers: [], message: 'nxdomain' };
  };
  return { asked, ctx: { host: HOST, mailHost: MAIL_HOST, lookupTxt } };
}

const check = (answers: string[], records: Record<string, string[]> = {}, expected = OURS) =>
  checkSpf(expected, answers, zone(records).ctx);

describe('isSpfRecord', () => {
  it('takes only records whose first term is exactly v=spf1', () => {
    expect(isSpfRecord('v=spf1 mx -all')).toBe(true);
    expect(isSpfRecord('v=spf1')).toBe(true);
    expect(isSpfRecord('V=SPF1 mx')).toBe(true);
    expect(isSpfRecord('v=spf10 mx')).toBe(false);
    expect(isSpfRecord(' v=spf1 mx')).toBe(false);
    expect(isSpfRecord('google-site-verification=abc')).toBe(false);
  });
});

describe('parseSpf', () => {
  it('parses every mechanism, qualifier, prefix length, macro and modifier', () => {
    const parsed = parseSpf(
      'v=spf1 +mx a a:Mail.Example.com/24//64 mx//96 ip4:192.0.2.0/24 ip6:2001:db8::/32 ' +
        'include:_spf.example.net. exists:%{i}._spf.%{d} ?ptr ~ptr:example.org -all ' +
        'exp=explain.%{d} x-custom=%{l}',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.terms.map((t) => [t.kind, t.name, 'target' in t ? t.target : t.value])).toEqual([
      ['mechanism', 'mx', ''],
      ['mechanism', 'a', ''],
      ['mechanism', 'a', 'mail.example.com'],
      ['mechanism', 'mx', ''],
      ['mechanism', 'ip4', '192.0.2.0/24'],
      ['mechanism', 'ip6', '2001:db8::/32'],
      ['mechanism', 'include', '_spf.example.net'],
      ['mechanism', 'exists', '%{i}._spf.%{d}'],
      ['mechanism', 'ptr', ''],
      ['mechanism', 'ptr', 'example.org'],
      ['mechanism', 'all', ''],
      ['modifier', 'exp', 'explain.%{d}'],
      ['modifier', 'x-custom', '%{l}'],
    ]);
    expect(parsed.terms.map((t) => ('qualifier' in t ? t.qualifier : ''))).toEqual([
      '+',
      '+',
      '+',
      '+',
      '+',
      '+',
      '+',
      '+',
      '?',
      '~',
      '-',
      '',
      '',
    ]);
  });

  it('tolerates runs of spaces and a trailing space', () => {
    expect(parseSpf('v=spf1  mx   -all ')).toMatchObject({ ok: true });
  });

  it.each([
    ['v=spf1 inlcude:_spf.example.net -all', /"inlcude:_spf.example.net" is neither a mechanism/],
    ['v=spf1 ip4:192.0.2.300 -all', /needs an IPv4 address/],
    ['v=spf1 ip4:192.0.2.0/33 -all', /invalid prefix length/],
    ['v=spf1 ip4:192.0.2.0//64 -all', /invalid prefix length/],
    ['v=spf1 ip6:192.0.2.1 -all', /needs an IPv6 address/],
    ['v=spf1 a/024 -all', /invalid prefix length/],
    ['v=spf1 mx//129 -all', /invalid prefix length/],
    ['v=spf1 include: -all', /needs a domain/],
    ['v=spf1 include -all', /needs ":" and a domain/],
    ['v=spf1 exists -all', /needs ":" and a domain/],
    ['v=spf1 a:localhost -all', /not a domain name/],
    ['v=spf1 include:example.123 -all', /not a domain name/],
    ['v=spf1 -all:foo', /takes no value/],
    ['v=spf1 exists:%{z}.example.com -all', /invalid %-macro/],
    ['v=spf1 redirect=a.example redirect=b.example', /"redirect=" appears twice/],
    ['v=spf1 redirect=', /needs a domain/],
    ['v=spf1 mx\t-all', /plain ASCII/],
    ['v=spf1 mx “-all”', /plain ASCII/],
  ])('rejects %s', (record, error) => {
    const parsed = parseSpf(record);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe('checkSpf', () => {
  it('is ok when the published record equals ours', async () => {
    expect(await check(['v=spf1 mx -all'])).toEqual({ status: 'ok', hint: '' });
  });

  it('is ok for a valid superset: other senders included, ~all instead of -all', async () => {
    const verdict = await check(['v=spf1 mx include:_spf.newsletter.example ~all'], {
      '_spf.newsletter.example': ['v=spf1 ip4:198.51.100.0/24 -all'],
    });
    expect(verdict).toEqual({ status: 'ok', hint: '' });
  });

  it('accepts a:<mail host> and mx:<domain> in place of mx', async () => {
    expect((await check([`v=spf1 a:${MAIL_HOST} -all`])).status).toBe('ok');
    expect((await check([`v=spf1 mx:${HOST} -all`])).status).toBe('ok');
  });

  it('is missing when no TXT record at the host is an SPF record', async () => {
    const verdict = await check(['google-site-verification=abc']);
    expect(verdict.status).toBe('missing');
    expect(verdict.hint).toContain(`add a TXT record at ${HOST} with the value "${OURS}"`);
  });

  it('asks to merge more than one SPF record into one', async () => {
    const verdict = await check([
      'v=spf1 include:_spf.google.com ~all',
      'v=spf1 mx -all',
      'unrelated=1',
    ]);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('has 2 SPF records');
    expect(verdict.hint).toContain('publish exactly one SPF record');
    expect(verdict.hint).toContain('"v=spf1 mx include:_spf.google.com -all"');
  });

  it('reports a syntax error with the offending term', async () => {
    const verdict = await check(['v=spf1 mx ip4:10.0.0.256 -all']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('is invalid ("ip4:10.0.0.256" needs an IPv4 address');
    expect(verdict.hint).toContain(`replace it with "${OURS}"`);
  });

  it('reports more than ten DNS lookups in the record itself', async () => {
    const includes = Array.from({ length: 10 }, (_, i) => `include:s${i}.example.net`);
    const records = Object.fromEntries(
      includes.map((inc) => [inc.slice('include:'.length), ['v=spf1 ip4:192.0.2.1 -all']]),
    );
    const verdict = await check([`v=spf1 mx ${includes.join(' ')} -all`], records);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('needs more than 10 DNS lookups');
  });

  it('counts the lookups of nested includes and redirects', async () => {
    const records = {
      'a.example.net': ['v=spf1 a mx include:b.example.net ~all'],
      'b.example.net': ['v=spf1 exists:%{i}.b.example.net ptr redirect=c.example.net'],
      'c.example.net': ['v=spf1 a:x.example.net a:y.example.net mx -all'],
    };
    // 2 here + a.example.net's 3 + b's 3 + c's 3 = 11.
    const over = await check(['v=spf1 mx include:a.example.net -all'], records);
    expect(over.hint).toContain('needs more than 10 DNS lookups');
    // Dropping one `a` from c.example.net brings it to exactly ten, which is allowed.
    const atLimit = await check(['v=spf1 mx include:a.example.net -all'], {
      ...records,
      'c.example.net': ['v=spf1 a:x.example.net mx -all'],
    });
    expect(atLimit).toEqual({ status: 'ok', hint: '' });
  });

  it('does not count mechanisms after all, nor a redirect beside all', async () => {
    const includes = Array.from({ length: 12 }, (_, i) => `include:s${i}.example.net`).join(' ');
    expect((await check([`v=spf1 mx -all ${includes}`])).status).toBe('ok');
    expect((await check(['v=spf1 mx -all redirect=nowhere.example'])).status).toBe('ok');
  });

  it('stops at an include loop instead of recursing forever', async () => {
    const { asked, ctx } = zone({
      'loop.example.net': ['v=spf1 include:loop.example.net -all'],
    });
    const verdict = await checkSpf(OURS, ['v=spf1 mx include:loop.example.net -all'], ctx);
    expect(verdict.status).toBe('ok');
    expect(asked).toEqual(['loop.example.net']);
  });

  it('reports an include of a domain without an SPF record', async () => {
    const verdict = await check(['v=spf1 mx include:gone.example.net -all'], {
      'gone.example.net': ['some other text'],
    });
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('"include:gone.example.net" in the SPF record');
    expect(verdict.hint).toContain('remove it or correct the domain');
  });

  it('does not blame an include whose lookup failed temporarily', async () => {
    const { ctx } = zone({}, ['slow.example.net']);
    const verdict = await checkSpf(OURS, ['v=spf1 mx include:slow.example.net -all'], ctx);
    expect(verdict).toEqual({ status: 'ok', hint: '' });
  });

  it('asks to add mx when the mail host is not authorized', async () => {
    const verdict = await check(['v=spf1 include:_spf.google.com ~all'], {
      '_spf.google.com': ['v=spf1 ip4:192.0.2.0/24 ~all'],
    });
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('does not authorize Mailwright');
    expect(verdict.hint).toContain('add "mx", e.g. "v=spf1 mx include:_spf.google.com ~all"');
  });

  it('does not count mx after all or with a failing qualifier as authorizing', async () => {
    expect((await check(['v=spf1 -all mx'])).hint).toContain('add "mx"');
    expect((await check(['v=spf1 ~mx -all'])).hint).toContain('add "mx"');
  });

  it('asks for each of our includes too', async () => {
    const ours = 'v=spf1 mx include:_spf.relay.example -all';
    const records = { '_spf.relay.example': ['v=spf1 ip4:192.0.2.7 -all'] };
    const lacking = await check(['v=spf1 mx -all'], records, ours);
    expect(lacking.hint).toContain('add "include:_spf.relay.example"');
    const viaRedirect = await check(['v=spf1 mx redirect=_spf.relay.example'], records, ours);
    expect(viaRedirect).toEqual({ status: 'ok', hint: '' });
  });

  it('rejects +all, which lets anyone send as the domain', async () => {
    const verdict = await check(['v=spf1 mx +all']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toContain('ends in "+all"');
    expect(verdict.hint).toContain('change it to "-all"');
  });

  it('gives one hint per problem when a record has several', async () => {
    const verdict = await check(['v=spf1 include:gone.example.net all']);
    expect(verdict.status).toBe('mismatch');
    expect(verdict.hint).toMatch(/gone\.example\.net.*ends in "all".*add "mx"/);
  });
});
