import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Session } from '../api/types';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { Logo } from '../components/Logo';
import { formatDuration } from '../format';
import { useCountdown } from '../hooks/useCountdown';
import { useMutation } from '../hooks/useMutation';

export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  // Shown once the API says this user signs in with an authenticator app.
  const [askCode, setAskCode] = useState(false);
  const signIn = useMutation(
    async () =>
      onSignedIn(
        await api.POST('/v1/session', {
          body: { email, password, ...(totpCode.trim() === '' ? {} : { totpCode }) },
        }),
      ),
    (refusal) => {
      if (refusal.code === 'totp_required') setAskCode(true);
    },
  );
  const { busy, error } = signIn;
  const wait = useCountdown(error?.code === 'login_rate_limited' ? error.extra('retryAt') : null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Mailwright';
    heading.current?.focus();
  }, []);

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
        {error && !(error.code === 'totp_required' && totpCode === '') && (
          <Alert tone="error">
            {error.message}
            {wait > 0 && ` You can try again in ${formatDuration(wait)}.`}
          </Alert>
        )}
        <form onSubmit={signIn.submit} noValidate>
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
          {askCode && (
            <Field label="Code from your authenticator app (or a recovery code)">
              {(control) => (
                <input
                  {...control}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  autoFocus
                  required
                  value={totpCode}
                  onChange={(event) => setTotpCode(event.target.value)}
                />
              )}
            </Field>
          )}
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
