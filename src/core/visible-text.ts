import { describeCharacter } from './describe-character.js';

// Control and format characters (bidi overrides such as U+202E, zero-width joiners, BOMs),
// unassigned, private-use and surrogate code points, and line/paragraph separators: none of them
// shows as itself, and bidi controls reorder what does, so "x\u202Egnp.exe" reads "xexe.png".
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;

/**
 * The first character of `value` that would not show as itself where people read it (token
 * labels; person names refuse the same through their stricter allow-list), described for a
 * message, or undefined.
 */
export function invisibleCharacterIn(value: string): string | undefined {
  const found = INVISIBLE.exec(value)?.[0];
  return found === undefined ? undefined : describeCharacter(found);
}
