import type { ChangeEvent } from 'react';
import type { ControlProps } from './Field';

/** The API's quota range (src/core/quota.ts), so the browser stops a value the server refuses. */
export const QUOTA_MB = { min: 10, max: 102_400 } as const;

/** A mailbox quota in MB, inside a `<Field>`. */
export function QuotaInput(props: {
  control: ControlProps;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <input
      {...props.control}
      type="number"
      inputMode="numeric"
      min={QUOTA_MB.min}
      max={QUOTA_MB.max}
      className="input-short"
      value={props.value}
      {...(props.autoFocus ? { 'data-autofocus': true } : {})}
      onChange={(event: ChangeEvent<HTMLInputElement>) => props.onChange(event.target.value)}
    />
  );
}
