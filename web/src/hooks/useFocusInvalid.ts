import { useEffect, type RefObject } from 'react';

/**
 * After a refused submit, moves focus to the first field marked invalid, so its label, error
 * and hint are read out and the user can fix it straight away.
 */
export function useFocusInvalid(form: RefObject<HTMLElement | null>, error: unknown): void {
  useEffect(() => {
    if (!error) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, error]);
}
