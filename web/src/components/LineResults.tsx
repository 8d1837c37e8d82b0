import type { ReactNode, RefObject } from 'react';
import type { Domain } from '../api/types';
import { shownName } from '../domains';
import { paths } from '../routes';
import { Icon } from './Icon';
import { Link } from './Link';

/** What became of one typed line: the domain it made, or why it was refused. */
export interface LineOutcome {
  line: string;
  created?: Domain;
  reason?: string;
}

/**
 * The per-line results of a form that takes one name per line (Add Domains, Add Sub-domain):
 * a count under a focusable heading, one row per line in the order typed, then what to do next.
 */
export function LineResults({
  outcomes,
  verb,
  headingRef,
  createdNote,
  next,
}: {
  outcomes: LineOutcome[];
  /** "added", "created": the heading's and each row's word. */
  verb: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** Shown after a created domain's name. */
  createdNote: (domain: Domain) => ReactNode;
  /** Shown under the list when at least one line made something. */
  next: ReactNode;
}) {
  const made = outcomes.filter((o) => o.created).length;
  return (
    <section className="panel" aria-labelledby="results-heading">
      <h2 id="results-heading" ref={headingRef} tabIndex={-1}>
        {made} of {outcomes.length} {verb}
      </h2>
      <ul className="results">
        {outcomes.map((outcome, index) => (
          <li
            key={`${outcome.line}-${index}`}
            className={outcome.created ? 'result result-ok' : 'result result-rejected'}
          >
            <span className="result-mark" aria-hidden="true">
              <Icon name={outcome.created ? 'check' : 'cross'} />
            </span>
            {outcome.created ? (
              <span>
                <Link to={paths.domain(outcome.created.name)}>{shownName(outcome.created)}</Link>{' '}
                {createdNote(outcome.created)}
              </span>
            ) : (
              <span>
                <code>{outcome.line}</code> <span className="result-status">rejected:</span>{' '}
                {outcome.reason}
              </span>
            )}
          </li>
        ))}
      </ul>
      {made > 0 && next}
    </section>
  );
}
