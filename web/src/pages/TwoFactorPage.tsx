import { useState } from 'react';
import { api } from '../api/client';
import type { Session } from '../api/types';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { PageHeader } from '../components/PageHeader';
import { useMutation } from '../hooks/useMutation';

interface Enrolment {
  secret: string;
  uri: string;
}

/**
 * Two-factor sign-in of the signed-in user: set up an authenticator app (the otpauth:// URI as
 * text, which apps accept pasted or typed as the secret), confirm a first code, keep the
 * recovery codes; or turn it off with a code. `onChanged` reloads the session's view.
 */
export function TwoFactorPage({ session, onChanged }: { session: Session; onChanged: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [code, setCode] = useState('');

  const start = useMutation(async () => setEnrolment(await api.POST('/v1/session/totp')));
  const confirm = useMutation(async () => {
    const confirmed = await api.POST('/v1/session/totp/confirm', { body: { code } });
    setEnrolment(undefined);
    setCode('');
    setRecoveryCodes(confirmed.recoveryCodes);
  });
  const disable = useMutation(async () => {
    await api.DELETE('/v1/session/totp', { body: { code } });
    setCode('');
    onChanged();
  });
  const error = start.error ?? confirm.error ?? disable.error;

  const codeField = (
    <Field label="Code from the app">
      {(control) => (
        <input
          {...control}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
      )}
    </Field>
  );

  return (
    <>
      <PageHeader
        title="Two-factor sign-in"
        subtitle={session.totp.enabled ? 'On: sign-in asks for a code.' : 'Off.'}
      />
      {session.totp.required && !session.totp.enabled && (
        <Alert tone="error">
          Account {session.account.name} requires two-factor sign-in: set it up to use the console.
        </Alert>
      )}
      {error && <Alert tone="error">{error.message}</Alert>}
      {recoveryCodes ? (
        <>
          <OneTimeSecret
            title="Recovery codes"
            what="recovery codes"
            value={recoveryCodes.join('\n')}
            advice="and keep them apart from your phone: each one signs you in once if you lose it."
          />
          <button type="button" className="button button-primary" onClick={onChanged}>
            Done
          </button>
        </>
      ) : session.totp.enabled ? (
        <form onSubmit={disable.submit} noValidate>
          <p>To turn it off, enter a current code (or a recovery code).</p>
          {codeField}
          <button type="submit" className="button" disabled={disable.busy}>
            Turn off
          </button>
        </form>
      ) : enrolment ? (
        <form onSubmit={confirm.submit} noValidate>
          <OneTimeSecret
            title="Add this to your authenticator app"
            what="otpauth URI"
            value={enrolment.uri}
            advice={`or type the secret ${enrolment.secret} into the app.`}
          />
          {codeField}
          <button type="submit" className="button button-primary" disabled={confirm.busy}>
            Turn on
          </button>
        </form>
      ) : (
        <button
          type="button"
          className="button button-primary"
          disabled={start.busy}
          onClick={start.run}
        >
          Set up an authenticator app
        </button>
      )}
    </>
  );
}
