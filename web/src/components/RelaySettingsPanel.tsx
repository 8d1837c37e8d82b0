import { useRef, useState } from 'react';
import { api } from '../api/client';
import type { Domain } from '../api/types';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { Field } from './Field';

interface RelaySettingsPanelProps {
  domain: Domain;
  onSaved: () => void;
}

/** The relay a hostname's mail leaves through; an empty field removes it. */
export function RelaySettingsPanel({ domain, onSaved }: RelaySettingsPanelProps) {
  const [relayHost, setRelayHost] = useState(domain.relayHost ?? '');
  const [saved, setSaved] = useState(false);
  const save = useMutation(async () => {
    setSaved(false);
    await api.PATCH('/v1/domains/{name}', {
      params: { path: { name: domain.name } },
      body: { relayHost: relayHost.trim() === '' ? null : relayHost.trim() },
    });
    setSaved(true);
    onSaved();
  });
  const { error } = save;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);
  const relayError = error?.messageFor('relayHost');
  const without =
    domain.kind === 'subdomain'
      ? `leave empty to follow ${domain.parent ?? 'its root'}`
      : "leave empty for the server's own route";

  return (
    <section className="panel" aria-labelledby="relay-settings-heading">
      <div className="panel-header">
        <h2 id="relay-settings-heading">Outbound relay</h2>
      </div>
      <form ref={form} onSubmit={save.submit} noValidate>
        {error && !relayError && <Alert tone="error">{error.message}</Alert>}
        {saved && !error && <Alert tone="success">Saved. New mail leaves the new way.</Alert>}
        <Field
          label="Relay host"
          description={`[host]:port of the relay mail from ${domain.name}'s addresses leaves through; ${without}. Its login comes from the server's operator.`}
          error={relayError}
        >
          {(control) => (
            <input
              {...control}
              value={relayHost}
              placeholder="[smtp.relay.example]:587"
              onChange={(e) => setRelayHost(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={save.busy}>
          Save relay
        </button>
      </form>
    </section>
  );
}
