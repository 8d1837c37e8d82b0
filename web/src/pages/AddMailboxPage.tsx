import { useState } from 'react';
import { MailboxCreated } from '../components/MailboxCreated';
import { PageHeader } from '../components/PageHeader';
import { useDomains } from '../hooks/useDomains';
import { blankValues, type MailboxValues } from './add-mailbox/mailbox-values';
import { MailboxForm } from './add-mailbox/MailboxForm';
import { useBulkMailboxes } from './add-mailbox/useBulkMailboxes';
import { useSingleMailbox, type CreatedMailbox } from './add-mailbox/useSingleMailbox';

/**
 * Add Mailbox: one form in two modes, Single (add-mailbox/useSingleMailbox) and Bulk
 * (add-mailbox/useBulkMailboxes, with its preview and progress stages). Both keep their state
 * while the other mode is shown, so switching back and forth loses nothing typed or reported.
 */
export function AddMailboxPage({ initialDomain }: { initialDomain: string | null }) {
  const domains = useDomains();
  const [values, setValues] = useState<MailboxValues>(() => blankValues(initialDomain));
  const [created, setCreated] = useState<CreatedMailbox>();
  const set = (patch: Partial<MailboxValues>) => setValues((current) => ({ ...current, ...patch }));

  const startOver = () => {
    set({ name: '', localPart: '', password: '' });
    single.submit.reset();
    bulk.startOver();
    setCreated(undefined);
    domains.reload();
  };
  const single = useSingleMailbox({
    values,
    set,
    domains,
    onCreated: (answer) => {
      setCreated(answer);
      domains.reload();
    },
  });
  const bulk = useBulkMailboxes({ values, set, domains, onStartOver: startOver });

  return (
    <>
      <PageHeader
        title="Add Mailbox"
        subtitle="Use this step to provision individual or bulk mailbox identities with credentials."
      />
      {created ? (
        <MailboxCreated
          mailbox={created.mailbox}
          password={created.password}
          onAnother={startOver}
        />
      ) : (
        (bulk.stage ?? (
          <MailboxForm
            values={values}
            set={set}
            domains={domains}
            mode={values.mode === 'single' ? single : bulk.form}
            onModeChange={(mode) => {
              set({ mode });
              // A refusal of the other mode's request no longer applies.
              single.submit.reset();
              bulk.form.submit.reset();
            }}
          />
        ))
      )}
    </>
  );
}
