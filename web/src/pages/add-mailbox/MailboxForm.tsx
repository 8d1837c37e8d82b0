import { useRef, type ReactNode } from 'react';
import type { Domain } from '../../api/types';
import { Alert } from '../../components/Alert';
import { useFocusInvalid } from '../../hooks/useFocusInvalid';
import type { Resource } from '../../hooks/useLoader';
import type { Mutation } from '../../hooks/useMutation';
import { unplacedError, type MailboxField, type MailboxValues } from './mailbox-values';
import {
  DomainField,
  ModeChoice,
  NameField,
  PasswordFields,
  QuotaField,
  SendingSection,
} from './MailboxFields';

/** What one mode (useSingleMailbox, useBulkMailboxes in bulk or spread) brings to the form. */
export interface ModeForm {
  /** Sends the form: creates the mailbox (Single) or asks for the preview (Bulk). */
  submit: Mutation;
  /** The fields this mode shows, where a refusal can be placed. */
  shown: MailboxField[];
  /** The mode's own field, above Domain (Single: the local part) or below it (Bulk: the count). */
  beforeDomain?: ReactNode;
  afterDomain?: ReactNode;
  /** The mode's fields in place of Name and Domain (Spread: personas and domains). */
  identity?: ReactNode;
  /** Where a generated password goes, and what an entered one applies to. */
  generatedNote: string;
  enteredNote?: string;
  /** Notes and buttons that end the form. */
  end: ReactNode;
}

interface MailboxFormProps {
  values: MailboxValues;
  set: (patch: Partial<MailboxValues>) => void;
  domains: Resource<Domain[]>;
  mode: ModeForm;
  onModeChange: (mode: MailboxValues['mode']) => void;
}

/**
 * The Add Mailbox form. It stays mounted when the mode changes, with the mode's own parts
 * slotted in, so what was typed and the focus on the mode's radio button stay where they are.
 */
export function MailboxForm({ values, set, domains, mode, onModeChange }: MailboxFormProps) {
  const { error } = mode.submit;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);

  const unplaced = unplacedError(error, mode.shown);
  const fields = { values, set, error };
  return (
    <form ref={form} className="panel form" onSubmit={mode.submit.submit} noValidate>
      {unplaced && <Alert tone="error">{unplaced.message}</Alert>}
      {!mode.identity && <NameField {...fields} />}
      <ModeChoice mode={values.mode} onChange={onModeChange} />
      {mode.identity}
      {mode.beforeDomain}
      {!mode.identity && <DomainField {...fields} domains={domains} />}
      {mode.afterDomain}
      <PasswordFields
        {...fields}
        generatedNote={mode.generatedNote}
        enteredNote={mode.enteredNote}
      />
      <QuotaField {...fields} />
      <SendingSection {...fields} />
      {mode.end}
    </form>
  );
}
