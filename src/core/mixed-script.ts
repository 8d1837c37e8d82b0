/**
 * Confusable names: a label that mixes letters of several scripts (`аpple` with a Cyrillic а)
 * reads as another name. Scripts are those of UTS #24; digits, hyphens and combining marks
 * belong to every script and are ignored. The combinations UTS #39 calls highly restrictive
 * (Japanese, Chinese and Korean writing with or without Latin) are not mixing.
 */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Mongolian',
  'Ethiopic',
  'Cherokee',
  'Canadian_Aboriginal',
  'Tifinagh',
  'Hangul',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
  'Yi',
] as const;

const SCRIPT_PATTERNS = SCRIPTS.map(
  (script) => [script, new RegExp(`^\\p{Script=${script}}$`, 'u')] as const,
);

const COMPATIBLE: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

function scriptOf(letter: string): string {
  return SCRIPT_PATTERNS.find(([, pattern]) => pattern.test(letter))?.[0] ?? 'Other';
}

/** The scripts of a label's letters, in order of first use. */
function labelScripts(label: string): string[] {
  const scripts = new Set<string>();
  for (const char of label) if (/\p{L}/u.test(char)) scripts.add(scriptOf(char));
  return [...scripts];
}

export interface MixedScriptLabel {
  /** The label as people read it (Unicode). */
  label: string;
  scripts: string[];
}

/** Labels of a Unicode hostname whose letters mix scripts; empty for an ordinary name. */
export function mixedScriptLabels(unicodeName: string): MixedScriptLabel[] {
  return unicodeName
    .split('.')
    .map((label) => ({ label, scripts: labelScripts(label) }))
    .filter(
      ({ scripts }) =>
        scripts.length > 1 && !COMPATIBLE.some((set) => scripts.every((s) => set.has(s))),
    );
}

export interface NameWarning {
  code: 'mixed_script';
  message: string;
}

/** What to tell people about a hostname that could pass for another, with its A-label. */
export function hostnameWarnings(name: string, unicodeName: string): NameWarning[] {
  return mixedScriptLabels(unicodeName).map(({ label, scripts }) => ({
    code: 'mixed_script',
    message: `${unicodeName} mixes ${scripts.map((s) => s.replace('_', ' ')).join(' and ')} letters in "${label}", so it can pass for another name: it is ${name} in DNS. Check that this is the name you meant.`,
  }));
}
