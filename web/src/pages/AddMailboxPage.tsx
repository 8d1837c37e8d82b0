import { useState } from 'react';
import { api } from '../api/client';
import { MailboxCreated } from '../components/MailboxCreated';
import { PageHeader } from '../components/PageHeader';
import { sendingValuesFromDefaults } from '../components/SendingFields';
import { useDomains } from '../hooks/useDomains';
import { useLoader } from '../hooks/useLoader';
import { blankValues, type MailboxValues } from './add-mailbox/mailbox-values';
import { MailboxForm } from './add-mailbox/MailboxForm';
import { useBulkMailboxes } from './add-mailbox/useBulkMailboxes';
import { useSingleMailbox, type CreatedMailbox } from './add-mailbox/useSingleMailbox';

/**
 * Add Mailbox: one form in three modes, Single (add-mailbox/useSingleMailbox), Bulk and Spread
 * (add-mailbox/useBulkMailboxes, with its preview and progress stages). Each keeps its state
 * while another mode is shown, so switching back and forth loses nothing typed or reported.
 */
export function AddMailboxPage({ initialDomain }: { initialDomain: string | null }) {
  const domains = useDomains();
  const [typed, setValues] = useState<MailboxValues>(() => blankValues(initialDomain));
  const [created, setCreated] = useState<CreatedMailbox>();
  const set = (patch: Partial<MailboxValues>) => setValues((current) => ({ ...current, ...patch }));
  const limits = useLoader('/v1/limits', (signal) => api.GET('/v1/limits', { signal }));
  const defaults = limits.data?.limits;
  // The sending fields start from the account's defaults once they have loaded.
  const values: MailboxValues =
    typed.sending || !defaults ? typed : { ...typed, sending: sendingValuesFromDefaults(defaults) };

  const startOver = () => {
    set({ name: '', localPart: '', password: '' });
    single.submit.reset();
    bulk.startOver();
    spread.startOver();
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
  const bulk = useBulkMailboxes({ kind: 'bulk', values, set, domains, onStartOver: startOver });
  const spread = useBulkMailboxes({ kind: 'spread', values, set, domains, onStartOver: startOver });
  const batch = values.mode === 'spread' ? spread : bulk;

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
        (batch.stage ?? (
          <MailboxForm
            values={values}
            set={set}
            domains={domains}
            mode={values.mode === 'single' ? single : batch.form}
            onModeChange={(mode) => {
              set({ mode });
              // A refusal of the other mode's request no longer applies.
              single.submit.reset();
              bulk.form.submit.reset();
              spread.form.submit.reset();
            }}
          />
        ))
      )}
    </>
  );
}
