import { useCallback, useState } from 'react';

/**
 * Keyset pages walked forward and back: the cursors of the pages up to the current one, so
 * Previous can return without the API offering a backward cursor.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const reset = useCallback(() => setCursors([undefined]), []);
  const back = useCallback(() => setCursors((stack) => stack.slice(0, -1)), []);
  const forward = useCallback((next: string) => setCursors((stack) => [...stack, next]), []);
  return { cursor: cursors[cursors.length - 1], index: cursors.length - 1, reset, back, forward };
}

export type CursorPages = ReturnType<typeof useCursorPages>;
