import { useRef, useState } from 'react';
import { api } from '../api/client';
import type { Mailbox } from '../api/types';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { splitLines } from '../server-rules';
import { Alert } from './Alert';
import { Field } from './Field';
import { Modal } from './Modal';
import { TargetLines } from './TargetLines';

interface ForwardingDialogProps {
  mailbox: Mailbox;
  onSaved: (mailbox: Mailbox) => void;
  onClose: () => void;
}

/** Sets where a mailbox's mail also (or only) goes, or stops forwarding. */
export function ForwardingDialog({ mailbox, onSaved, onClose }: ForwardingDialogProps) {
  const [text, setText] = useState(mailbox.forwarding?.to.join('\n') ?? '');
  const [keepCopy, setKeepCopy] = useState(mailbox.forwarding?.keepCopy ?? true);
  const lines = splitLines(text);
  const address = { path: { address: mailbox.address } };
  const save = useMutation(async () => {
    const answer = await api.PATCH('/v1/mailboxes/{address}', {
      params: address,
      body: { forwarding: { to: lines, keepCopy } },
    });
    onSaved(answer.mailbox);
  });
  const stop = useMutation(async () => {
    const answer = await api.PATCH('/v1/mailboxes/{address}', {
      params: address,
      body: { forwarding: null },
    });
    onSaved(answer.mailbox);
  });
  const error = save.error ?? stop.error;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);

  const fieldMessage = error?.messageFor('forwarding.to');
  return (
    <Modal title={`Forwarding of ${mailbox.address}`} onClose={onClose}>
      <form ref={form} onSubmit={save.submit} noValidate>
        {error && !fieldMessage && <Alert tone="error">{error.message}</Alert>}
        <Field
          label="Forward to"
          description="One address per line: mailboxes or aliases of this account, or addresses anywhere else."
          error={fieldMessage}
          after={
            save.error && <TargetLines lines={lines} field="forwarding.to" error={save.error} />
          }
        >
          {(control) => (
            <textarea
              {...control}
              rows={4}
              required
              spellCheck={false}
              autoCapitalize="none"
              autoFocus
              placeholder={'ann@example.com\nteam@partner.example'}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={keepCopy}
            onChange={(event) => setKeepCopy(event.target.checked)}
          />{' '}
          Keep a copy in this mailbox
        </label>
        <div className="modal-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          {mailbox.forwarding && (
            <button
              type="button"
              className="button button-secondary"
              disabled={stop.busy}
              onClick={() => stop.run()}
            >
              Stop forwarding
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={save.busy}>
            Save forwarding
          </button>
        </div>
      </form>
    </Modal>
  );
}
