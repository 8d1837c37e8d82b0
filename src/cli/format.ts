/** Left-aligned columns separated by two spaces, with a header row; no trailing spaces. */
export function table(header: string[], rows: string[][]): string {
  const width = (text: string) => [...text].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell)),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** A name with its Unicode form beside it when the two differ (xn--bcher-kva.de (bücher.de)). */
export const displayName = (d: { name: string; unicodeName: string }): string =>
  d.unicodeName && d.unicodeName !== d.name ? `${d.name} (${d.unicodeName})` : d.name;

/** The line that says a secret is printed this once. */
export const SHOWN_ONCE = 'shown once — it cannot be retrieved later, so store it now';

/** A generated password, set off on its own line so it is easy to copy. */
export const shownOncePassword = (password: string): string =>
  `\nPassword (${SHOWN_ONCE}):\n\n  ${password}\n`;
