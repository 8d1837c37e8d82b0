/**
 * Names one character so a message can say exactly what to remove. Invisible characters are
 * shown by code point because quoting them would print nothing the user could find.
 */
export function describeCharacter(char: string): string {
  if (char === ' ') return 'the space';
  if (char === '"') return 'the quotation mark (")';
  if (/^[\p{C}\p{Z}]/u.test(char)) {
    const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `the invisible character U+${hex}`;
  }
  return `"${char}"`;
}

/** First character (code point) of `value` that `allowed` rejects, if any. */
export function firstCharacterOutside(value: string, allowed: RegExp): string | undefined {
  for (const char of value) if (!allowed.test(char)) return char;
  return undefined;
}
