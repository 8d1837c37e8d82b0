import { useRef, useState, type ChangeEvent } from 'react';
import { api } from '../api/client';
import type { Mailbox } from '../api/types';
import { formatNumber } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { SEND_LIMIT_RANGE, WARMUP_INCREMENT_RANGE, WARMUP_LIMIT_RANGE } from '../server-rules';
import { Alert } from './Alert';
import { Field, type ControlProps } from './Field';
import { Modal } from './Modal';

interface SendingDialogProps {
  mailbox: Mailbox;
  onSaved: (mailbox: Mailbox) => void;
  onClose: () => void;
}

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

/** The mailbox's sending limits, which the mail plane enforces at submission. */
export function SendingDialog({ mailbox, onSaved, onClose }: SendingDialogProps) {
  const current = mailbox.sending;
  const [daily, setDaily] = useState(String(current.dailyLimit));
  const [hourly, setHourly] = useState(String(current.hourlyLimit));
  const [ramp, setRamp] = useState(current.warmup !== null);
  const [start, setStart] = useState(String(current.warmup?.start ?? 10));
  const [increment, setIncrement] = useState(String(current.warmup?.increment ?? 3));
  const [max, setMax] = useState(String(current.warmup?.max ?? current.dailyLimit));
  const save = useMutation(async () => {
    const answer = await api.PATCH('/v1/mailboxes/{address}', {
      params: { path: { address: mailbox.address } },
      body: {
        sending: {
          dailyLimit: Number(daily),
          hourlyLimit: Number(hourly),
          // Unchanged numbers keep the ramp's start date; new ones restart it today.
          warmup: ramp
            ? {
                start: Number(start),
                increment: Number(increment),
                max: Number(max),
                ...(current.warmup &&
                current.warmup.start === Number(start) &&
                current.warmup.increment === Number(increment)
                  ? { startDate: current.warmup.startDate }
                  : {}),
              }
            : null,
        },
      },
    });
    onSaved(answer.mailbox);
  });
  const { error } = save;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);
  const field = (name: string) => error?.messageFor(`sending.${name}`);
  const anyField = ['dailyLimit', 'hourlyLimit', 'warmup.start', 'warmup.increment', 'warmup.max']
    .map(field)
    .some(Boolean);

  return (
    <Modal title={`Sending limits of ${mailbox.address}`} onClose={onClose}>
      <form ref={form} onSubmit={save.submit} noValidate>
        {error && !anyField && <Alert tone="error">{error.message}</Alert>}
        <p className="muted">
          Sent {formatNumber(current.sentToday)} of {formatNumber(current.limitToday)} today and{' '}
          {formatNumber(current.sentThisHour)} in the last hour. Past a limit the server defers the
          message until the limit resets.
        </p>
        <Field
          label="Daily limit"
          description={`Recipients per UTC day, ${range(SEND_LIMIT_RANGE)}; 0 stops sending.`}
          error={field('dailyLimit')}
        >
          {(control) => (
            <CountInput
              control={control}
              value={daily}
              onChange={setDaily}
              bounds={SEND_LIMIT_RANGE}
            />
          )}
        </Field>
        <Field
          label="Hourly limit"
          description={`Recipients in any 60 minutes, ${range(SEND_LIMIT_RANGE)}.`}
          error={field('hourlyLimit')}
        >
          {(control) => (
            <CountInput
              control={control}
              value={hourly}
              onChange={setHourly}
              bounds={SEND_LIMIT_RANGE}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={ramp} onChange={(e) => setRamp(e.target.checked)} /> Warm
          up: start low and raise the daily allowance each day
        </label>
        {ramp && (
          <>
            <Field
              label="First day"
              description={`Recipients on day 0, ${range(WARMUP_LIMIT_RANGE)}.`}
              error={field('warmup.start')}
            >
              {(control) => (
                <CountInput
                  control={control}
                  value={start}
                  onChange={setStart}
                  bounds={WARMUP_LIMIT_RANGE}
                />
              )}
            </Field>
            <Field
              label="Added per day"
              description={`${range(WARMUP_INCREMENT_RANGE)}.`}
              error={field('warmup.increment')}
            >
              {(control) => (
                <CountInput
                  control={control}
                  value={increment}
                  onChange={setIncrement}
                  bounds={WARMUP_INCREMENT_RANGE}
                />
              )}
            </Field>
            <Field
              label="Up to"
              description="Where the ramp stops; the daily limit still applies."
              error={field('warmup.max')}
            >
              {(control) => (
                <CountInput
                  control={control}
                  value={max}
                  onChange={setMax}
                  bounds={WARMUP_LIMIT_RANGE}
                />
              )}
            </Field>
          </>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.busy}>
            Save limits
          </button>
        </div>
      </form>
    </Modal>
  );
}
