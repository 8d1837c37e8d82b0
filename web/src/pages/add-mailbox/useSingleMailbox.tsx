import { api, shapeOf, type Answer } from '../../api/client';
import type { Domain } from '../../api/types';
import { Field } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import type { Resource } from '../../hooks/useLoader';
import { useMutation } from '../../hooks/useMutation';
import { paths } from '../../routes';
import { fieldError, singleRequest, type MailboxValues } from './mailbox-values';
import type { ModeForm } from './MailboxForm';

export type CreatedMailbox = Extract<Answer<'post', '/v1/mailboxes'>, { mailbox: unknown }>;

interface SingleMailboxOptions {
  values: MailboxValues;
  set: (patch: Partial<MailboxValues>) => void;
  domains: Resource<Domain[]>;
  /** The new mailbox and, when generated, its password: the one time it is shown. */
  onCreated: (created: CreatedMailbox) => void;
}

/** Add Mailbox in Single mode: one address, created at once. */
export function useSingleMailbox({
  values,
  set,
  domains,
  onCreated,
}: SingleMailboxOptions): ModeForm {
  const submit = useMutation(async () => {
    onCreated(shapeOf(await api.POST('/v1/mailboxes', { body: singleRequest(values) }), 'mailbox'));
  });
  const selected = domains.data?.find((d) => d.name === values.domain);

  return {
    submit,
    shown: ['name', 'localPart', 'domain', 'password', 'quota', 'sending'],
    beforeDomain: (
      <Field
        label="Email local part"
        description={
          selected
            ? `The part before @: the address becomes ${values.localPart.trim().toLowerCase() || 'john'}@${selected.unicodeName}.`
            : 'The part before @ (for example, John).'
        }
        error={fieldError(submit.error, 'localPart')}
        aside={<span className="suffix">@{selected?.unicodeName ?? 'domain'}</span>}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={values.localPart}
            onChange={(event) => set({ localPart: event.target.value })}
          />
        )}
      </Field>
    ),
    generatedNote: 'Shown once after the mailbox is created.',
    end: (
      <FormActions
        label="Create mailbox"
        busyLabel="Creating…"
        busy={submit.busy}
        cancelTo={paths.mailboxes}
      />
    ),
  };
}
