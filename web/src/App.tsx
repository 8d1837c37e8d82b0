import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, setCsrfToken, whenSessionLost } from './api/client';
import type { Session } from './api/types';
import { Alert } from './components/Alert';
import { Shell } from './components/Shell';
import { SignInPage } from './pages/SignInPage';

type State =
  | { kind: 'starting' }
  | { kind: 'signed-out' }
  | { kind: 'signed-in'; session: Session }
  | { kind: 'unreachable'; error: ApiError };

/** Knows whether someone is signed in: the sign-in page or the console, nothing else. */
export function App() {
  const [state, setState] = useState<State>({ kind: 'starting' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', session });
  }, []);
  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setState({ kind: 'signed-out' });
  }, []);

  // Asks whether the browser still has a session; the state is 'starting' meanwhile.
  const probe = useCallback(() => {
    api.GET('/v1/session').then(signedIn, (reason: unknown) => {
      if (!(reason instanceof ApiError)) throw reason;
      if (reason.status === 401) signedOut();
      else setState({ kind: 'unreachable', error: reason });
    });
  }, [signedIn, signedOut]);

  useEffect(() => {
    whenSessionLost(signedOut);
    probe();
  }, [probe, signedOut]);

  switch (state.kind) {
    case 'starting':
      return <p className="starting">Loading Mailwright…</p>;
    case 'unreachable':
      return (
        <main className="sign-in">
          <div className="sign-in-card">
            <Alert tone="error" title="Mailwright is not answering">
              {state.error.message}
            </Alert>
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setState({ kind: 'starting' });
                probe();
              }}
            >
              Try again
            </button>
          </div>
        </main>
      );
    case 'signed-out':
      return <SignInPage onSignedIn={signedIn} />;
    case 'signed-in':
      return <Shell session={state.session} onSignedOut={signedOut} onSessionChanged={probe} />;
  }
}
