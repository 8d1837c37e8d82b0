/**
 * Labels from a textarea (one per line) or a JSON array, trimmed and lowercased. Order and
 * duplicates are kept so the caller can answer for every line the user typed. Apart from
 * subdomain-label.ts (which needs Node's URL and net modules) so the console can use it too.
 */
export function splitLabels(input: string | string[]): string[] {
  const lines = typeof input === 'string' ? input.split(/\r?\n/) : input;
  return lines.map((line) => line.trim().toLowerCase()).filter((line) => line !== '');
}
