import { useRef, useState } from 'react';
import { api } from '../api/client';
import type { Mailbox } from '../api/types';
import { formatNumber } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { Modal } from './Modal';
import {
  SENDING_FIELDS,
  SendingFields,
  sendingRequest,
  sendingValuesOf,
  type SendingValues,
} from './SendingFields';

interface SendingDialogProps {
  mailbox: Mailbox;
  onSaved: (mailbox: Mailbox) => void;
  onClose: () => void;
}

/** The mailbox's sending limits, which the mail plane enforces at submission. */
export function SendingDialog({ mailbox, onSaved, onClose }: SendingDialogProps) {
  const current = mailbox.sending;
  const [values, setValues] = useState<SendingValues>(() => sendingValuesOf(current));
  const save = useMutation(async () => {
    // Unchanged numbers keep the ramp's start date; new ones restart it today.
    const keep =
      current.warmup &&
      current.warmup.start === Number(values.start) &&
      current.warmup.increment === Number(values.increment)
        ? current.warmup.startDate
        : undefined;
    const answer = await api.PATCH('/v1/mailboxes/{address}', {
      params: { path: { address: mailbox.address } },
      body: { sending: sendingRequest(values, keep) },
    });
    onSaved(answer.mailbox);
  });
  const { error } = save;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);
  const field = (name: string) => error?.messageFor(`sending.${name}`);
  const anyField = SENDING_FIELDS.map(field).some(Boolean);

  return (
    <Modal title={`Sending limits of ${mailbox.address}`} onClose={onClose}>
      <form ref={form} onSubmit={save.submit} noValidate>
        {error && !anyField && <Alert tone="error">{error.message}</Alert>}
        <p className="muted">
          Sent {formatNumber(current.sentToday)} of {formatNumber(current.limitToday)} today and{' '}
          {formatNumber(current.sentThisHour)} in the last hour. Past a limit the server defers the
          message until the limit resets.
        </p>
        <SendingFields
          values={values}
          onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
          errorFor={field}
        />
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
