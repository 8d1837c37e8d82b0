import type { ChangeEvent } from 'react';
import { formatNumber } from '../format';
import { MAX_QUOTA_MB, MIN_QUOTA_MB } from '../server-rules';
import type { ControlProps } from './Field';

/** The API's quota range, in the words of the fields' help: "from 10 to 102,400 MB". */
export const QUOTA_RANGE = `from ${formatNumber(MIN_QUOTA_MB)} to ${formatNumber(MAX_QUOTA_MB)} MB`;

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
      min={MIN_QUOTA_MB}
      max={MAX_QUOTA_MB}
      className="input-short"
      value={props.value}
      {...(props.autoFocus ? { 'data-autofocus': true } : {})}
      onChange={(event: ChangeEvent<HTMLInputElement>) => props.onChange(event.target.value)}
    />
  );
}
