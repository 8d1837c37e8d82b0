import { useState } from 'react';
import { api } from '../api/client';
import type { Mailbox } from '../api/types';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { Modal } from './Modal';
import { OneTimeSecret } from './OneTimeSecret';

interface ResetPasswordDialogProps {
  mailbox: Mailbox;
  onClose: () => void;
}

/** Replaces the password with a generated one, shown once inside the dialog. */
export function ResetPasswordDialog({ mailbox, onClose }: ResetPasswordDialogProps) {
  const [password, setPassword] = useState<string>();
  const reset = useMutation(async () => {
    const answer = await api.PATCH('/v1/mailboxes/{address}', {
      params: { path: { address: mailbox.address } },
      body: { password: { generate: true } },
    });
    setPassword(answer.password);
  });

  return (
    <Modal title={`Reset password of ${mailbox.address}`} onClose={onClose}>
      {password ? (
        <>
          <OneTimeSecret title="New password" what="new password" value={password} />
          <div className="modal-actions">
            <button type="button" className="button button-primary" onClick={onClose} autoFocus>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="modal-body">
            A new random password replaces the current one at once: mail programs using the old
            password stop signing in.
          </p>
          {reset.error && <Alert tone="error">{reset.error.message}</Alert>}
          <div className="modal-actions">
            <button
              type="button"
              className="button button-secondary"
              onClick={onClose}
              data-autofocus
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={reset.busy}
              onClick={() => reset.run()}
            >
              Reset password
            </button>
          </div>
        </>
      )}
    </Modal>
  );
}
