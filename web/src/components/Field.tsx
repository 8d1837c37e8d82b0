import { useId, type ReactNode } from 'react';

/** What a form control needs to be tied to its label, help text and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  label: string;
  /** Help under the label (the user guide's wording). */
  description?: ReactNode;
  /** The API's message for this field. */
  error?: string;
  /** How to fix it, when the guide has more to say than the message. */
  hint?: string;
  /** Beside the control, e.g. the limit that applies. */
  aside?: ReactNode;
  /** Below the control, e.g. a strength meter; also read as part of its description. */
  after?: ReactNode;
  children: (control: ControlProps) => ReactNode;
}

/**
 * A labelled form control. Help, error and hint are referenced by aria-describedby, so a
 * screen reader reads them with the field, and the error sits right under what it is about.
 */
export function Field({ label, description, error, hint, aside, after, children }: FieldProps) {
  const id = useId();
  const parts = {
    description: description ? `${id}-description` : undefined,
    after: after ? `${id}-after` : undefined,
    error: error ? `${id}-error` : undefined,
    hint: error && hint ? `${id}-hint` : undefined,
  };
  const describedBy = [parts.error, parts.hint, parts.description, parts.after]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {description && (
        <div id={parts.description} className="field-description">
          {description}
        </div>
      )}
      <div className="field-control">
        {children({
          id,
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          ...(error ? { 'aria-invalid': true } : {}),
        })}
        {aside && <div className="field-aside">{aside}</div>}
      </div>
      {after && <div id={parts.after}>{after}</div>}
      {error && (
        <p id={parts.error} className="field-error">
          {error}
        </p>
      )}
      {parts.hint && (
        <p id={parts.hint} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
