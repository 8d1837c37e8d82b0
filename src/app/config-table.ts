import type { Variable } from './config-schema.js';
import { VARIABLES } from './config-variables.js';

/** README's table sits between these lines; `npm run docs:config` rewrites what is between. */
export const TABLE_START =
  '<!-- The table is written by `npm run docs:config` from src/app/config-variables.ts. -->';
export const TABLE_END = '<!-- End of the generated table. -->';

/** The variables as a Markdown table, aligned as Prettier aligns it so `lint` keeps it as is. */
export function configurationTable(
  variables: Record<string, Variable<unknown>> = VARIABLES,
): string {
  const rows = [
    ['variable', 'default', 'accepts', 'meaning', 'used by'],
    ...Object.entries(variables).map(([name, v]) => [
      `\`${name}\``,
      v.shownDefault,
      v.accepts,
      v.description,
      v.usedBy.join(', '),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(3, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header!), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** `readme` with the text between the markers replaced by the current table. */
export function withConfigurationTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs the lines\n${TABLE_START}\n${TABLE_END}\naround the table.`);
  }
  const before = readme.slice(0, start + TABLE_START.length);
  return `${before}\n\n${configurationTable()}\n\n${readme.slice(end)}`;
}
