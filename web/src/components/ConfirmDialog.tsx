import type { ReactNode } from 'react';
import { useMutation } from '../hooks/useMutation';
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
  const confirm = useMutation(props.onConfirm);

  return (
    <Modal title={props.title} onClose={props.onClose}>
      <div className="modal-body">{props.children}</div>
      {confirm.error && <Alert tone="error">{confirm.error.message}</Alert>}
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
          disabled={confirm.busy}
          onClick={() => confirm.run()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
