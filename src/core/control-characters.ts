import { describeCharacter } from './describe-character.js';

// C0, DEL and C1: never part of a name, an address, an id or a query. PostgreSQL cannot even
// store U+0000 in text, so letting one through makes the two databases answer differently.
const CONTROL = /\p{Cc}/u;
// Free text (a CSV file, one label per line) legitimately has line breaks and tabs.
const CONTROL_IN_TEXT = /(?![\t\n\r])\p{Cc}/u;

/**
 * The first control character of `value`, described for a message (`the invisible character
 * U+0000`), or undefined. `text` allows TAB, LF and CR.
 */
export function controlCharacterIn(
  value: string,
  opts: { text?: boolean } = {},
): string | undefined {
  const found = (opts.text ? CONTROL_IN_TEXT : CONTROL).exec(value)?.[0];
  return found === undefined ? undefined : describeCharacter(found);
}
