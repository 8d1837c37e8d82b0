import type { ReactNode } from 'react';
import type { CursorPages } from '../hooks/useCursorPages';

/** Previous and Next under a keyset-paged list; nothing when it fits on one page. */
export function Pagination({
  pages,
  nextCursor,
  children,
}: {
  pages: CursorPages;
  nextCursor: string | null | undefined;
  /** Shown between the buttons, e.g. which rows this page holds. */
  children?: ReactNode;
}) {
  if (pages.index === 0 && !nextCursor) return null;
  return (
    <nav className="pagination" aria-label="Pages">
      <button
        type="button"
        className="button button-secondary"
        disabled={pages.index === 0}
        onClick={() => pages.back()}
      >
        Previous
      </button>
      {children}
      <button
        type="button"
        className="button button-secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && pages.forward(nextCursor)}
      >
        Next
      </button>
    </nav>
  );
}
