import type { ReactNode } from 'react';

/** A set of choices as checkboxes under a legend, each with its name and what it means. */
export function CheckboxGroup<T extends string>({
  legend,
  name,
  description,
  options,
  meaning,
  value,
  onChange,
  error,
}: {
  legend: string;
  name: string;
  description?: ReactNode;
  options: readonly T[];
  meaning: Record<T, ReactNode>;
  value: readonly T[];
  onChange(value: T[]): void;
  /** The API's refusal of this field, if any. */
  error?: string | undefined;
}) {
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      {description && <p className="field-description">{description}</p>}
      {options.map((option) => (
        <label key={option} className="checkbox">
          <input
            type="checkbox"
            name={name}
            value={option}
            checked={value.includes(option)}
            onChange={(event) =>
              onChange(
                event.target.checked ? [...value, option] : value.filter((o) => o !== option),
              )
            }
          />
          <code>{option}</code> — {meaning[option]}
        </label>
      ))}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
