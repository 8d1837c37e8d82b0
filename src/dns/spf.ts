import { isIPv4, isIPv6 } from 'node:net';
import type { CheckedRecord } from '../core/dns-record.js';
import type { Lookup } from './lookup.js';

/*
 * A parser for SPF records (RFC 7208 §12) written here because mailauth, which the rest of
 * src/dns uses, only exposes SPF as an evaluator: it answers pass/fail for one client IP, stops
 * at the first matching term and validates only what it evaluates, so it can neither list a
 * record's syntax errors nor count the lookups of terms after a match.
 */

export type SpfQualifier = '+' | '-' | '~' | '?';
const MECHANISMS = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'] as const;
export type SpfMechanismName = (typeof MECHANISMS)[number];

export type SpfTerm =
  | {
      kind: 'mechanism';
      qualifier: SpfQualifier;
      name: SpfMechanismName;
      /** Domain-spec (lowercase, no trailing dot) or network with its prefix length; '' if none. */
      target: string;
      text: string;
    }
  | { kind: 'modifier'; name: string; value: string; text: string };

export type SpfParse = { ok: true; terms: SpfTerm[] } | { ok: false; error: string };

/** Receivers only consider TXT records whose first term is exactly `v=spf1` (RFC 7208 §4.5). */
export const isSpfRecord = (txt: string): boolean => /^v=spf1(?: |$)/i.test(txt);

export const MAX_SPF_LOOKUPS = 10;

const MODIFIER = /^([a-z][a-z0-9_.-]*)=(.*)$/i;
const DIRECTIVE = /^([+~?-]?)([a-z][a-z0-9]*)(.*)$/i;
const MACRO_EXPAND = /%(?:\{[slodiphcrtv]\d*r?[.+,/_=-]*\}|[%_-])/gi;
const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;
// `a` and `mx` take an optional IPv4 and an optional `//`-prefixed IPv6 prefix length.
const DUAL_CIDR = /^(.*?)(?:\/(\d+))?(?:\/\/(\d+))?$/;
const NETWORK = /^:([^/]*)(?:\/(.*))?$/;

/** Parses a record `isSpfRecord` accepted; the error names the first offending term. */
export function parseSpf(record: string): SpfParse {
  if (/[^\x20-\x7e]/.test(record)) {
    return {
      ok: false,
      error:
        'it contains a character other than plain ASCII, often a curly quote, tab or line break pasted with it',
    };
  }
  const terms: SpfTerm[] = [];
  const once = new Set<string>();
  for (const text of record.split(' ').filter(Boolean).slice(1)) {
    const term = parseTerm(text);
    if (typeof term === 'string') return { ok: false, error: term };
    if (term.kind === 'modifier' && (term.name === 'redirect' || term.name === 'exp')) {
      if (once.has(term.name)) return { ok: false, error: `"${term.name}=" appears twice` };
      once.add(term.name);
    }
    terms.push(term);
  }
  return { ok: true, terms };
}

function parseTerm(text: string): SpfTerm | string {
  const modifier = MODIFIER.exec(text);
  if (modifier) {
    const name = modifier[1]!.toLowerCase();
    const value = modifier[2]!;
    const problem =
      name === 'redirect' || name === 'exp' ? domainSpecProblem(value) : macroProblem(value);
    if (problem) return `"${text}" ${problem}`;
    return { kind: 'modifier', name, value: domainKey(value), text };
  }
  const directive = DIRECTIVE.exec(text);
  const name = directive?.[2]!.toLowerCase() as SpfMechanismName | undefined;
  if (!directive || !name || !MECHANISMS.includes(name)) {
    return `"${text}" is neither a mechanism (${MECHANISMS.join(', ')}) nor a modifier (name=value)`;
  }
  const target = parseTarget(name, directive[3]!);
  if (typeof target !== 'string') return `"${text}" ${target.problem}`;
  return {
    kind: 'mechanism',
    qualifier: (directive[1] || '+') as SpfQualifier,
    name,
    target,
    text,
  };
}

function parseTarget(name: SpfMechanismName, rest: string): string | { problem: string } {
  switch (name) {
    case 'all':
      return rest === '' ? '' : { problem: 'takes no value' };
    case 'include':
    case 'exists':
      return domainArgument(rest, true);
    case 'ptr':
      return domainArgument(rest, false);
    case 'a':
    case 'mx': {
      const [, spec, ip4Prefix, ip6Prefix] = DUAL_CIDR.exec(rest)!;
      if (!validPrefix(ip4Prefix, 32) || !validPrefix(ip6Prefix, 128)) {
        return { problem: 'has an invalid prefix length' };
      }
      return domainArgument(spec!, false);
    }
    case 'ip4':
    case 'ip6': {
      const [, address = '', prefix] = NETWORK.exec(rest) ?? [];
      const valid = name === 'ip4' ? isIPv4(address) : isIPv6(address);
      if (!valid) return { problem: `needs an IPv${name.slice(2)} address after the colon` };
      if (!validPrefix(prefix, name === 'ip4' ? 32 : 128)) {
        return { problem: 'has an invalid prefix length' };
      }
      return rest.slice(1).toLowerCase();
    }
  }
}

function domainArgument(rest: string, required: boolean): string | { problem: string } {
  if (rest === '' && !required) return '';
  if (!rest.startsWith(':')) return { problem: 'needs ":" and a domain' };
  const problem = domainSpecProblem(rest.slice(1));
  return problem ? { problem } : domainKey(rest.slice(1));
}

const validPrefix = (digits: string | undefined, max: number) =>
  digits === undefined || (/^(?:0|[1-9]\d*)$/.test(digits) && Number(digits) <= max);

const domainKey = (spec: string) => spec.toLowerCase().replace(/\.$/, '');

function macroProblem(value: string): string | undefined {
  return value.replace(MACRO_EXPAND, '').includes('%') ? 'has an invalid %-macro' : undefined;
}

/** domain-spec = macro-string domain-end, where domain-end is a macro or `.toplabel[.]`. */
function domainSpecProblem(spec: string): string | undefined {
  if (spec === '') return 'needs a domain';
  const macros = macroProblem(spec);
  if (macros) return macros;
  const marked = spec.replace(MACRO_EXPAND, '\0');
  if (marked.endsWith('\0')) return undefined;
  const literal = marked.slice(marked.lastIndexOf('\0') + 1).replace(/\.$/, '');
  const dot = literal.lastIndexOf('.');
  return dot >= 0 && TOPLABEL.test(literal.slice(dot + 1))
    ? undefined
    : `has "${spec}", which is not a domain name`;
}

/**
 * The terms a receiver evaluates: mechanisms after `all` are never reached, and `redirect=`
 * has no effect when the record has an `all` (RFC 7208 §5.1, §6.1).
 */
function evaluated(terms: SpfTerm[]): SpfTerm[] {
  const all = terms.findIndex((t) => t.kind === 'mechanism' && t.name === 'all');
  return all < 0 ? terms : terms.slice(0, all + 1).filter((t) => t.kind === 'mechanism');
}

const QUERYING = new Set(['include', 'a', 'mx', 'ptr', 'exists']);
const queriesDns = (term: SpfTerm) =>
  term.kind === 'mechanism' ? QUERYING.has(term.name) : term.name === 'redirect';

type Verdict = Pick<CheckedRecord, 'status' | 'hint'>;

export interface SpfContext {
  /** Where the record is published. */
  host: string;
  /** Mailwright's mail host, lowercase, without the trailing dot. */
  mailHost: string;
  /** TXT lookups (deduplicated by the caller) used to follow `include:` and `redirect=`. */
  lookupTxt(host: string): Promise<Lookup>;
}

/**
 * Compares the SPF records among `answers` (every TXT at the host) with `expected`.
 *
 * A published record that holds every sending term of ours and more (another service's
 * `include:`) is ok: domains legitimately send through other services too. It must still be the
 * only SPF record, parse, stay within ten DNS lookups with its includes counted and not end in
 * `+all`, because any of those makes receivers fail SPF or lets anyone send as the domain.
 */
export async function checkSpf(
  expected: string,
  answers: string[],
  ctx: SpfContext,
): Promise<Verdict> {
  const { host } = ctx;
  const published = answers.filter(isSpfRecord);
  if (published.length === 0) {
    return {
      status: 'missing',
      hint: `${host} has no SPF record: add a TXT record at ${host} with the value "${expected}".`,
    };
  }
  if (published.length > 1) {
    return {
      status: 'mismatch',
      hint: `${host} has ${published.length} SPF records, which makes receivers fail SPF: publish exactly one SPF record, merge them into "${merge(expected, published)}" and delete the others.`,
    };
  }
  const record = published[0]!;
  const parsed = parseSpf(record);
  if (!parsed.ok) {
    return {
      status: 'mismatch',
      hint: `The SPF record at ${host} is invalid (${parsed.error}), so receivers fail SPF: replace it with "${expected}", adding back any other senders you use.`,
    };
  }
  const ours = parseSpf(expected);
  if (!ours.ok) throw new Error(`The planned SPF record "${expected}" is invalid: ${ours.error}`);

  const problems: string[] = [];
  const tally = await countLookups(parsed.terms, ctx);
  if (tally.broken.length > 0) {
    const terms = tally.broken.map((t) => `"${t}"`).join(', ');
    const one = tally.broken.length === 1;
    problems.push(
      `${terms} in the SPF record at ${host} ${one ? 'names a domain' : 'name domains'} without exactly one valid SPF record, which makes receivers fail SPF: remove ${one ? 'it' : 'them'} or correct the domain.`,
    );
  }
  if (tally.count > MAX_SPF_LOOKUPS) {
    problems.push(
      `The SPF record at ${host} needs more than ${MAX_SPF_LOOKUPS} DNS lookups (include, a, mx, ptr, exists and redirect, counted through its includes), so receivers fail SPF: remove includes of services you no longer use, or replace them with those services' ip4:/ip6: ranges.`,
    );
  }
  const passAll = evaluated(parsed.terms).find(
    (t) => t.kind === 'mechanism' && t.name === 'all' && t.qualifier === '+',
  );
  if (passAll) {
    const ourAll = ours.terms.find((t) => t.kind === 'mechanism' && t.name === 'all');
    problems.push(
      `The SPF record at ${host} ends in "${passAll.text}", which lets any server send mail as ${host}: change it to "${ourAll?.text ?? '-all'}".`,
    );
  }
  const lacking = sendingTerms(ours.terms).filter((t) => !covers(parsed.terms, t, ctx));
  if (lacking.length > 0) {
    const add = lacking.map((t) => t.text).join(' ');
    problems.push(
      `The SPF record at ${host} does not authorize Mailwright's mail server, so mail sent through Mailwright fails SPF: add "${add}", e.g. "${record.replace(/^v=spf1/i, `v=spf1 ${add}`)}".`,
    );
  }
  return problems.length > 0
    ? { status: 'mismatch', hint: problems.join(' ') }
    : { status: 'ok', hint: '' };
}

/** The terms of our record that authorize senders: passing mechanisms other than `all`. */
const sendingTerms = (terms: SpfTerm[]) =>
  evaluated(terms).filter(
    (t) => t.kind === 'mechanism' && t.qualifier === '+' && t.name !== 'all',
  ) as Extract<SpfTerm, { kind: 'mechanism' }>[];

/**
 * Whether the published terms authorize what `ours` does. Judged on the record's own terms, not
 * on what its includes contain: an `include:` of some other domain that happens to list the mail
 * host is not recognised, which keeps the hint to a change the user can check by eye.
 */
function covers(
  published: SpfTerm[],
  ours: Extract<SpfTerm, { kind: 'mechanism' }>,
  ctx: SpfContext,
): boolean {
  const ownMx = (t: Extract<SpfTerm, { kind: 'mechanism' }>) =>
    t.name === 'mx' && (t.target === '' || t.target === ctx.host);
  return evaluated(published).some((t) => {
    if (t.kind === 'modifier') {
      return t.name === 'redirect' && ours.name === 'include' && t.value === ours.target;
    }
    if (t.qualifier !== '+') return false;
    // The domain's MX points to the mail host (the MX check reports it if not), so `mx` and
    // `a:<mail host>` authorize the same addresses.
    if (ownMx(ours)) return ownMx(t) || (t.name === 'a' && t.target === ctx.mailHost);
    return t.name === ours.name && t.target === ours.target;
  });
}

/**
 * A suggested single record: our terms first, then every other sending term of the published
 * ones, ending in our `all`.
 */
function merge(expected: string, published: string[]): string {
  const terms = new Map<string, string>();
  for (const record of [expected, ...published]) {
    for (const token of record.split(' ').slice(1)) {
      if (token && !MODIFIER.test(token) && !/^[+~?-]?all$/i.test(token)) {
        if (!terms.has(token.toLowerCase())) terms.set(token.toLowerCase(), token);
      }
    }
  }
  const ourAll = expected.split(' ').find((token) => /^[+~?-]?all$/i.test(token)) ?? '-all';
  return ['v=spf1', ...terms.values(), ourAll].join(' ');
}

/**
 * Counts the DNS-querying terms a receiver may evaluate, following `include:` and `redirect=`
 * through `lookupTxt` (RFC 7208 §4.6.4 limits the whole evaluation to ten). Stops once past the
 * limit; a target that fails temporarily is not followed, so the count is then a lower bound.
 * Targets with macros depend on the sender and are counted but not followed; a target already
 * on the path (a loop) is counted once.
 */
async function countLookups(
  terms: SpfTerm[],
  ctx: SpfContext,
): Promise<{ count: number; broken: string[] }> {
  const tally = { count: 0, broken: [] as string[] };
  const walk = async (terms: SpfTerm[], path: string[]): Promise<void> => {
    for (const term of evaluated(terms)) {
      if (!queriesDns(term)) continue;
      if (++tally.count > MAX_SPF_LOOKUPS) return;
      const target =
        term.kind === 'modifier' ? term.value : term.name === 'include' ? term.target : '';
      if (!target || target.includes('%') || path.includes(target)) continue;
      const lookup = await ctx.lookupTxt(target);
      if (lookup.status !== 'ok' && lookup.status !== 'nxdomain' && lookup.status !== 'nodata') {
        continue;
      }
      const records = lookup.answers.filter(isSpfRecord);
      const sub = records.length === 1 ? parseSpf(records[0]!) : undefined;
      if (!sub?.ok) {
        tally.broken.push(term.text);
        continue;
      }
      await walk(sub.terms, [...path, target]);
    }
  };
  await walk(terms, [ctx.host]);
  return tally;
}
