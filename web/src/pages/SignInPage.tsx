import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import type { Session } from '../api/types';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Logo } from '../components/Logo';
import { formatDuration } from '../format';
import { useCountdown } from '../hooks/useCountdown';

export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const wait = useCountdown(error?.code === 'login_rate_limited' ? error.extra('retryAt') : null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Mailwright';
    heading.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.POST('/v1/session', { body: { email, password } }));
    } catch (reason) {
      if (!(reason instanceof ApiError)) throw reason;
      setError(reason);
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <p className="brand brand-large">
          <Logo />
          Mailwright
        </p>
        <h1 ref={heading} tabIndex={-1}>
          Sign in
        </h1>
        <p className="muted">Provision domains, sub-domains and mailboxes.</p>
        {error && (
          <Alert tone="error">
            {error.message}
            {wait > 0 && ` You can try again in ${formatDuration(wait)}.`}
          </Alert>
        )}
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Field label="Email">
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            )}
          </Field>
          <Field label="Password">
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            )}
          </Field>
          <button
            type="submit"
            className="button button-primary button-block"
            disabled={busy || wait > 0}
          >
            {wait > 0 ? `Try again in ${formatDuration(wait)}` : busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
