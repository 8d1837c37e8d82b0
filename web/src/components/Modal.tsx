import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal built on <dialog>: the browser makes the page behind it inert and keeps keyboard
 * focus inside; Escape closes it, and focus goes back to the control that opened it.
 */
export function Modal({ title, onClose, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // Layout effects: opened before the first paint, and closed in the same commit that removes
  // it, so focus is back on the opener by the time anything else can run.
  useLayoutEffect(() => {
    const opener = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // Start on the control marked for it (the safe choice in a confirmation), not wherever the
    // browser would put focus.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      // Closed before React removes it: until then the page behind is inert and cannot take
      // focus back.
      dialog?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: the parent removes the dialog, so every close goes through onClose.
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
