import type { ReactNode } from 'react';

const LABELS = { note: 'Important note:', tip: 'Tip:', warning: 'Warning:' } as const;

/** The user guide's notes, tips and warnings, where the step they belong to is done. */
export function Notice({ kind, children }: { kind: keyof typeof LABELS; children: ReactNode }) {
  return (
    <p className={`notice notice-${kind}`}>
      <strong>{LABELS[kind]}</strong> {children}
    </p>
  );
}
