import { DMARC_POLICIES, type DmarcPolicy } from '../core/dns-plan.js';
import type { CheckedRecord } from '../core/dns-record.js';
import { parseTags } from './tags.js';

export interface DmarcRecord {
  p: DmarcPolicy;
  /** The sub-domain policy, when the record sets one. */
  sp?: DmarcPolicy;
  pct: number;
  /** `rua=` URIs, lowercase, without a `!size` limit. */
  rua: string[];
}

/** Receivers discard TXT records at `_dmarc` that do not start with `v=DMARC1` (RFC 7489 §6.6.3). */
export const isDmarcRecord = (txt: string): boolean => /^v\s*=\s*DMARC1\s*(?:;|$)/i.test(txt);

const URI = /^[a-z][a-z0-9+.-]*:[^!\s]+(?:!\d+[kmgt]?)?$/i;

export function parseDmarc(
  record: string,
): { ok: true; record: DmarcRecord } | { ok: false; error: string } {
  const parsed = parseTags(record);
  if (!parsed.ok) return parsed;
  const { tags } = parsed;
  const policy = (tag: string) => {
    const value = tags.get(tag)?.toLowerCase();
    return DMARC_POLICIES.find((p) => p === value);
  };
  if (!tags.has('p')) return { ok: false, error: 'the p= tag (policy) is missing' };
  const p = policy('p');
  const sp = policy('sp');
  if (!p) return { ok: false, error: `p=${tags.get('p')} is not none, quarantine or reject` };
  if (tags.has('sp') && !sp) {
    return { ok: false, error: `sp=${tags.get('sp')} is not none, quarantine or reject` };
  }
  for (const tag of ['adkim', 'aspf']) {
    const value = tags.get(tag);
    if (value !== undefined && !/^[rs]$/i.test(value)) {
      return { ok: false, error: `${tag}=${value} is not r or s` };
    }
  }
  const pct = tags.get('pct') ?? '100';
  if (!/^\d{1,3}$/.test(pct) || Number(pct) > 100) {
    return { ok: false, error: `pct=${pct} is not a percentage from 0 to 100` };
  }
  const uris = (tag: string) =>
    (tags.get(tag) ?? '')
      .split(',')
      .map((uri) => uri.trim())
      .filter(Boolean);
  for (const tag of ['rua', 'ruf']) {
    const bad = uris(tag).find((uri) => !URI.test(uri));
    if (bad !== undefined) {
      return {
        ok: false,
        error: `"${bad}" in ${tag}= is not a URI such as mailto:dmarc@example.com`,
      };
    }
  }
  return {
    ok: true,
    record: {
      p,
      ...(sp ? { sp } : {}),
      pct: Number(pct),
      rua: uris('rua').map((uri) => uri.toLowerCase().replace(/!.*$/, '')),
    },
  };
}

const strength = (policy: DmarcPolicy) => DMARC_POLICIES.indexOf(policy);

/**
 * Compares the DMARC records among `answers` (every TXT at `_dmarc.<domain>`) with `expected`.
 * A stricter policy than ours is ok (none < quarantine < reject), as are extra report
 * addresses; a weaker one, a partial `pct=` or a `rua=` without ours is a mismatch.
 */
export function checkDmarc(
  host: string,
  expected: string,
  answers: string[],
): Pick<CheckedRecord, 'status' | 'hint'> {
  const published = answers.filter(isDmarcRecord);
  if (published.length === 0) {
    return {
      status: 'missing',
      hint: `${host} has no DMARC record: add a TXT record at ${host} with the value "${expected}".`,
    };
  }
  if (published.length > 1) {
    return {
      status: 'mismatch',
      hint: `${host} has ${published.length} DMARC records, so receivers ignore them all: keep exactly one, "${expected}", and delete the others.`,
    };
  }
  const theirs = parseDmarc(published[0]!);
  if (!theirs.ok) {
    return {
      status: 'mismatch',
      hint: `The DMARC record at ${host} is invalid (${theirs.error}), so receivers ignore it: replace it with "${expected}".`,
    };
  }
  const ours = parseDmarc(expected);
  if (!ours.ok) throw new Error(`The planned DMARC record "${expected}" is invalid: ${ours.error}`);
  const { record: their } = theirs;
  const { record: our } = ours;

  const problems: string[] = [];
  if (strength(their.p) < strength(our.p)) {
    problems.push(
      `The DMARC policy at ${host} is p=${their.p}, weaker than Mailwright's p=${our.p}: change it to p=${our.p}.`,
    );
  }
  const theirSp = their.sp ?? their.p;
  if (our.sp && strength(theirSp) < strength(our.sp)) {
    problems.push(
      `The DMARC policy for sub-domains at ${host} is ${their.sp ? `sp=${their.sp}` : `p=${their.p} (no sp=)`}, weaker than Mailwright's sp=${our.sp}: set sp=${our.sp}.`,
    );
  }
  if (their.pct < our.pct) {
    problems.push(
      `The DMARC record at ${host} applies its policy to only ${their.pct}% of failing mail: ${our.pct === 100 ? 'remove its pct= tag' : `set pct=${our.pct}`}.`,
    );
  }
  const lacking = our.rua.filter((uri) => !their.rua.includes(uri));
  if (lacking.length > 0) {
    problems.push(
      `The DMARC record at ${host} does not send aggregate reports to Mailwright: add ${lacking.join(',')} to its rua= tag, e.g. "rua=${[...their.rua, ...lacking].join(',')}".`,
    );
  }
  return problems.length > 0
    ? { status: 'mismatch', hint: problems.join(' ') }
    : { status: 'ok', hint: '' };
}
