import { useRef, useState } from 'react';
import { api } from '../api/client';
import type { Mailbox } from '../api/types';
import { formatMegabytes } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { Field } from './Field';
import { QUOTA_RANGE, QuotaInput } from './QuotaInput';
import { Modal } from './Modal';

interface QuotaDialogProps {
  mailbox: Mailbox;
  onSaved: (mailbox: Mailbox) => void;
  onClose: () => void;
}

export function QuotaDialog({ mailbox, onSaved, onClose }: QuotaDialogProps) {
  const [quota, setQuota] = useState(String(mailbox.quotaMb));
  const address = { path: { address: mailbox.address } };
  const save = useMutation(async () => {
    const answer = await api.PATCH('/v1/mailboxes/{address}', {
      params: address,
      body: { quotaMb: Number(quota) },
    });
    onSaved(answer.mailbox);
  });
  const { error } = save;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);
  // What it stores now, when the mail plane can tell (null otherwise).
  const detail = useLoader(mailbox.address, (signal) =>
    api.GET('/v1/mailboxes/{address}', { params: address, signal }),
  );
  const used = detail.data?.usedMb;

  const fieldMessage = error?.messageFor('quotaMb');
  return (
    <Modal title={`Change quota of ${mailbox.address}`} onClose={onClose}>
      <form ref={form} onSubmit={save.submit} noValidate>
        {error && !fieldMessage && <Alert tone="error">{error.message}</Alert>}
        <Field
          label="Quota (MB)"
          description={`Storage for this mailbox, ${QUOTA_RANGE}.${
            typeof used === 'number' ? ` It stores ${formatMegabytes(Math.ceil(used))} now.` : ''
          }`}
          error={fieldMessage}
        >
          {(control) => (
            <QuotaInput control={control} value={quota} onChange={setQuota} autoFocus />
          )}
        </Field>
        <div className="modal-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.busy}>
            Save quota
          </button>
        </div>
      </form>
    </Modal>
  );
}
