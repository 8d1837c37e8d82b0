import { useRef, useState } from 'react';
import { api } from '../api/client';
import type { Domain } from '../api/types';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { Field } from './Field';

interface WebSettingsPanelProps {
  domain: Domain;
  onSaved: () => void;
}

/** A root domain's web redirect and tracking CNAME; an empty field removes the setting. */
export function WebSettingsPanel({ domain, onSaved }: WebSettingsPanelProps) {
  const [redirectTo, setRedirectTo] = useState(domain.redirectTo ?? '');
  const [trackingCname, setTrackingCname] = useState(domain.trackingCname ?? '');
  const [saved, setSaved] = useState(false);
  const save = useMutation(async () => {
    setSaved(false);
    await api.PATCH('/v1/domains/{name}', {
      params: { path: { name: domain.name } },
      body: {
        redirectTo: redirectTo.trim() === '' ? null : redirectTo.trim(),
        trackingCname: trackingCname.trim() === '' ? null : trackingCname.trim(),
      },
    });
    setSaved(true);
    onSaved();
  });
  const { error } = save;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);
  const redirectError = error?.messageFor('redirectTo');
  const trackingError = error?.messageFor('trackingCname');

  return (
    <section className="panel" aria-labelledby="web-settings-heading">
      <div className="panel-header">
        <h2 id="web-settings-heading">Web redirect and tracking</h2>
      </div>
      <form ref={form} onSubmit={save.submit} noValidate>
        {error && !redirectError && !trackingError && <Alert tone="error">{error.message}</Alert>}
        {saved && !error && (
          <Alert tone="success">Saved. Publish or check the DNS records below.</Alert>
        )}
        <Field
          label="Redirect to"
          description={`An https URL. Visitors of ${domain.name} and www.${domain.name} are sent there (301); leave empty for none.`}
          error={redirectError}
        >
          {(control) => (
            <input
              {...control}
              type="url"
              value={redirectTo}
              placeholder="https://www.example.com/"
              onChange={(e) => setRedirectTo(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Tracking CNAME target"
          description={`The host track.${domain.name} points to, from your sending tool's click tracking; leave empty for none.`}
          error={trackingError}
        >
          {(control) => (
            <input
              {...control}
              value={trackingCname}
              placeholder="links.example-esp.net"
              onChange={(e) => setTrackingCname(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={save.busy}>
          Save web settings
        </button>
      </form>
    </section>
  );
}
