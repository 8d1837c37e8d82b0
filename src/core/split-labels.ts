/**
 * Lines from a textarea or the items of a JSON array, trimmed, blank ones dropped. Order and
 * duplicates are kept so the caller can answer for every line the user typed. Apart from
 * subdomain-label.ts (which needs Node's URL and net modules) so the console can use it too.
 */
export function splitLines(input: string | string[]): string[] {
  const lines = typeof input === 'string' ? input.split(/\r?\n/) : input;
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}

/** Sub-domain labels, one per line: as `splitLines`, lowercased. */
export function splitLabels(input: string | string[]): string[] {
  return splitLines(input).map((line) => line.toLowerCase());
}
