import { transliterate } from 'transliteration';
import { checkLocalPart } from './local-part.js';

/**
 * Local-part patterns, most common company conventions first, so a caller taking the first free
 * candidate gets the address a recipient would most likely guess. Tokens: `{first}` first name,
 * `{f}` its initial, `{m}` the middle initials, `{last}` surname, `{l}` its initial. The
 * character between tokens is the pattern's separator; `{m}` repeats it between initials.
 * Every pattern spells out the first name or the surname: initials alone ("mas" for Mary Ann
 * Smith) are no address anyone would guess. docs/bulk-addresses.md shows the list for
 * "Josh Smith".
 */
export const ADDRESS_PATTERNS = [
  '{first}',
  '{first}.{last}',
  '{f}{last}',
  '{first}{last}',
  '{f}.{last}',
  '{last}.{first}',
  '{first}{l}',
  '{first}.{l}',
  '{last}',
  '{first}_{last}',
  '{first}-{last}',
  '{last}{f}',
  '{last}.{f}',
  '{last}{first}',
  '{f}_{last}',
  '{f}-{last}',
  '{last}_{first}',
  '{last}-{first}',
  '{first}.{m}.{last}',
  '{f}{m}{last}',
  '{first}{m}{last}',
  '{f}.{m}.{last}',
] as const;

/** One word of a name split at its hyphens ("Smith-Jones"), each barrel plain a–z. */
type NamePart = string[];

interface ParsedName {
  first: NamePart;
  middles: NamePart[];
  last: NamePart | undefined;
}

// The domain is picked later; a short stand-in makes checkLocalPart judge the local part alone.
const ANY_DOMAIN = 'example.com';

/**
 * Mailbox local parts for a display name that passed checkPersonName: unique, valid, in the
 * order of ADDRESS_PATTERNS. Never adds digits or random text: a caller that finds them all
 * taken should ask for a different address rather than invent one.
 */
export function addressCandidates(name: string): string[] {
  const parsed = parseName(name);
  if (!parsed) return [];
  const candidates = new Set(candidatesOf(parsed));
  const last = parsed.last;
  // A double-barrelled surname is often shortened to its first barrel, but that is a guess,
  // so those addresses come after every spelling of the full surname.
  if (last && last.length > 1) {
    for (const candidate of candidatesOf({ ...parsed, last: last.slice(0, 1) })) {
      candidates.add(candidate);
    }
  }
  return [...candidates].filter((candidate) => checkLocalPart(candidate, ANY_DOMAIN).ok);
}

/** The name in Latin letters for places that cannot show other scripts: "José" → "Jose". */
export function transliterateName(name: string): string {
  return transliterate(name.normalize('NFC')).replace(/\s+/g, ' ').trim();
}

function parseName(name: string): ParsedName | undefined {
  // Periods split words so "J.R. Tolkien" yields the initials J and R.
  const parts = name
    .normalize('NFC')
    .split(/[\s.]+/u)
    .map(toPart)
    .filter((part) => part.length > 0);
  const [first, ...rest] = parts;
  if (!first) return undefined;
  return { first, middles: rest.slice(0, -1), last: rest.at(-1) };
}

function toPart(word: string): NamePart {
  // Only a–z survives: besides apostrophes and spaces, transliteration turns a few letters into
  // digits or punctuation (Ƽ → 5), which would look like an added number.
  return word
    .split('-')
    .map((barrel) =>
      transliterate(barrel)
        .toLowerCase()
        .replace(/[^a-z]/g, ''),
    )
    .filter((barrel) => barrel !== '');
}

type Token = 'first' | 'f' | 'm' | 'last' | 'l';

// Each pattern is tokens joined by one separator, so it renders as the tokens' values joined.
const PARSED_PATTERNS = ADDRESS_PATTERNS.map((pattern) => ({
  tokens: [...pattern.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as Token),
  separator: pattern.replace(/\{\w+\}/g, '').charAt(0),
}));

function candidatesOf(name: ParsedName): string[] {
  return PARSED_PATTERNS.flatMap(({ tokens, separator }) => {
    const lasts = name.last ? spellings(name.last, separator) : [undefined];
    return spellings(name.first, separator).flatMap((first) =>
      lasts.flatMap((last) => {
        const values = tokens.map((token) => tokenValue(token, name, separator, first, last));
        return values.every((value) => value !== undefined) ? [values.join(separator)] : [];
      }),
    );
  });
}

/** "smithjones", plus "smith-jones" unless hyphens already separate the words. */
function spellings(part: NamePart, separator: string): string[] {
  const joined = part.join('');
  return part.length > 1 && separator !== '-' ? [joined, part.join('-')] : [joined];
}

function tokenValue(
  token: Token,
  name: ParsedName,
  separator: string,
  first: string,
  last: string | undefined,
): string | undefined {
  switch (token) {
    // An initial stands in for a name only through {f} and {l}, so "J. R. Tolkien" gets
    // j.tolkien once rather than again as "{first}.{last}", and never a lone "j".
    case 'first':
      return first.length > 1 ? first : undefined;
    case 'f':
      return first.charAt(0);
    case 'm':
      return name.middles.length > 0
        ? name.middles.map((middle) => middle.join('').charAt(0)).join(separator)
        : undefined;
    case 'last':
      return last !== undefined && last.length > 1 ? last : undefined;
    case 'l':
      return last?.charAt(0);
  }
}
