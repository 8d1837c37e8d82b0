import type { ApiError } from '../api/client';
import { Icon } from './Icon';

/**
 * The targets of an alias or forward after the API refused them: one row per typed line, in
 * the order typed, with the reason the API gave for that line (`<field>.<index>`). Nothing was
 * written, so the box keeps every line for correction.
 */
export function TargetLines({
  lines,
  field,
  error,
}: {
  lines: string[];
  /** Where the request carried the targets: `targets` or `forwarding.to`. */
  field: string;
  error: ApiError;
}) {
  const reasons = lines.map((_, index) =>
    (error.problem.errors ?? [])
      .filter((issue) => issue.field === `${field}.${index}`)
      .map((issue) => issue.message)
      .join(' '),
  );
  if (!reasons.some(Boolean)) return null;
  return (
    <ul className="results" aria-label="Targets">
      {lines.map((line, index) => (
        <li
          key={`${line}-${index}`}
          className={reasons[index] ? 'result result-rejected' : 'result result-ok'}
        >
          <span className="result-mark" aria-hidden="true">
            <Icon name={reasons[index] ? 'cross' : 'check'} />
          </span>
          <span>
            <code>{line}</code>{' '}
            {reasons[index] ? (
              <>
                <span className="result-status">rejected:</span> {reasons[index]}
              </>
            ) : (
              <span className="muted">accepted</span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
