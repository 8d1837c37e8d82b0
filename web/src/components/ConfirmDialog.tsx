import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { Alert } from './Alert';
import { Modal } from './Modal';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Destructive actions get the red button. */
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before an action that cannot be taken back; the API's refusal shows inside. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
    } catch (reason) {
      if (!(reason instanceof ApiError)) throw reason;
      setError(reason);
      setBusy(false);
    }
  };

  return (
    <Modal title={props.title} onClose={props.onClose}>
      <div className="modal-body">{props.children}</div>
      {error && <Alert tone="error">{error.message}</Alert>}
      <div className="modal-actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={props.onClose}
          data-autofocus
        >
          Cancel
        </button>
        <button
          type="button"
          className={props.danger ? 'button button-danger' : 'button button-primary'}
          disabled={busy}
          onClick={() => void confirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
