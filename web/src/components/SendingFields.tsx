import type { ChangeEvent } from 'react';
import type { Answer } from '../api/client';
import type { Mailbox } from '../api/types';
import { formatNumber } from '../format';
import { SEND_LIMIT_RANGE, WARMUP_INCREMENT_RANGE, WARMUP_LIMIT_RANGE } from '../server-rules';
import { Field, type ControlProps } from './Field';

/** What the sending fields hold, as typed. */
export interface SendingValues {
  daily: string;
  hourly: string;
  ramp: boolean;
  start: string;
  increment: string;
  max: string;
}

type Policy = Pick<Mailbox['sending'], 'dailyLimit' | 'hourlyLimit' | 'warmup'>;
type Limits = Answer<'get', '/v1/limits'>['limits'];

/** The fields filled from a mailbox's policy; a ramp not set yet is offered as 10, +3. */
export const sendingValuesOf = (policy: Policy): SendingValues => ({
  daily: String(policy.dailyLimit),
  hourly: String(policy.hourlyLimit),
  ramp: policy.warmup !== null,
  start: String(policy.warmup?.start ?? 10),
  increment: String(policy.warmup?.increment ?? 3),
  max: String(policy.warmup?.max ?? policy.dailyLimit),
});

/** …or from the account's defaults for new mailboxes (a warm-up start of 0 means none). */
export const sendingValuesFromDefaults = (limits: Limits): SendingValues =>
  sendingValuesOf({
    dailyLimit: limits.defaultDailySendLimit,
    hourlyLimit: limits.defaultHourlySendLimit,
    warmup:
      limits.defaultWarmupStart === 0
        ? null
        : {
            start: limits.defaultWarmupStart,
            increment: limits.defaultWarmupIncrement,
            max: Math.max(limits.defaultWarmupMax, limits.defaultWarmupStart),
            startDate: '',
          },
  });

/** The `sending` object of a request; `startDate` keeps a ramp's first day. */
export const sendingRequest = (values: SendingValues, startDate?: string) => ({
  dailyLimit: Number(values.daily),
  hourlyLimit: Number(values.hourly),
  warmup: values.ramp
    ? {
        start: Number(values.start),
        increment: Number(values.increment),
        max: Number(values.max),
        ...(startDate ? { startDate } : {}),
      }
    : null,
});

/** The request fields these inputs stand for, to place a refusal at its input. */
export const SENDING_FIELDS = [
  'dailyLimit',
  'hourlyLimit',
  'warmup.start',
  'warmup.increment',
  'warmup.max',
] as const;

const range = ([min, max]: readonly [number, number]) =>
  `from ${formatNumber(min)} to ${formatNumber(max)}`;

/** A whole-number input tied to its `<Field>`, bounded by one of the API's ranges. */
function CountInput(props: {
  control: ControlProps;
  value: string;
  onChange: (value: string) => void;
  bounds: readonly [number, number];
}) {
  return (
    <input
      {...props.control}
      type="number"
      inputMode="numeric"
      min={props.bounds[0]}
      max={props.bounds[1]}
      className="input-short"
      value={props.value}
      onChange={(event: ChangeEvent<HTMLInputElement>) => props.onChange(event.target.value)}
    />
  );
}

/**
 * Daily and hourly limits and the warm-up ramp, which the mail plane enforces at submission:
 * in the Sending limits dialog and in the Add Mailbox form (every mode).
 */
export function SendingFields({
  values,
  onChange,
  errorFor,
}: {
  values: SendingValues;
  onChange: (patch: Partial<SendingValues>) => void;
  /** The refusal's message for a request field (`dailyLimit`, `warmup.start` …). */
  errorFor: (field: (typeof SENDING_FIELDS)[number]) => string | undefined;
}) {
  const count = (
    label: string,
    description: string,
    field: (typeof SENDING_FIELDS)[number],
    key: Exclude<keyof SendingValues, 'ramp'>,
    bounds: readonly [number, number],
  ) => (
    <Field label={label} description={description} error={errorFor(field)}>
      {(control) => (
        <CountInput
          control={control}
          value={values[key]}
          onChange={(value) => onChange({ [key]: value })}
          bounds={bounds}
        />
      )}
    </Field>
  );
  return (
    <>
      {count(
        'Daily limit',
        `Recipients per UTC day, ${range(SEND_LIMIT_RANGE)}; 0 stops sending.`,
        'dailyLimit',
        'daily',
        SEND_LIMIT_RANGE,
      )}
      {count(
        'Hourly limit',
        `Recipients in any 60 minutes, ${range(SEND_LIMIT_RANGE)}.`,
        'hourlyLimit',
        'hourly',
        SEND_LIMIT_RANGE,
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={values.ramp}
          onChange={(e) => onChange({ ramp: e.target.checked })}
        />{' '}
        Warm up: start low and raise the daily allowance each day
      </label>
      {values.ramp && (
        <>
          {count(
            'First day',
            `Recipients on day 0, ${range(WARMUP_LIMIT_RANGE)}.`,
            'warmup.start',
            'start',
            WARMUP_LIMIT_RANGE,
          )}
          {count(
            'Added per day',
            `${range(WARMUP_INCREMENT_RANGE)}.`,
            'warmup.increment',
            'increment',
            WARMUP_INCREMENT_RANGE,
          )}
          {count(
            'Up to',
            'Where the ramp stops; the daily limit still applies.',
            'warmup.max',
            'max',
            WARMUP_LIMIT_RANGE,
          )}
        </>
      )}
    </>
  );
}
