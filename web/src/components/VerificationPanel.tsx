import { useState } from 'react';
import { api } from '../api/client';
import type { Domain } from '../api/types';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { CopyButton } from './CopyButton';
import { Icon } from './Icon';

interface VerificationPanelProps {
  domain: Domain;
  onVerified: () => void;
}

/** The ownership TXT record of a pending domain, and the button that looks it up live. */
export function VerificationPanel({ domain, onVerified }: VerificationPanelProps) {
  const [attempts, setAttempts] = useState(0);
  const verify = useMutation(
    async () => {
      await api.POST('/v1/domains/{name}/verify', { params: { path: { name: domain.name } } });
      onVerified();
    },
    () => setAttempts((n) => n + 1),
  );
  const { busy, error } = verify;
  const { host, value } = domain.verification;

  return (
    <section className="panel" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Verify ownership</h2>
      <p>
        {domain.kind === 'subdomain' ? (
          <>
            A sub-domain is verified through its root domain {domain.parent}: verifying either one
            verifies both. Publish this TXT record at your DNS host, then select Verify.
          </>
        ) : (
          <>
            Publish this TXT record at your DNS host, then select Verify. Mailboxes can be created
            once the domain is verified; its sub-domains are verified with it.
          </>
        )}
      </p>
      <dl className="record-card">
        <div>
          <dt>Type</dt>
          <dd>
            <code>TXT</code>
          </dd>
        </div>
        <div>
          <dt>Host</dt>
          <dd>
            <code>{host}</code>
            <CopyButton value={host} what="TXT host" />
          </dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd>
            <code>{value}</code>
            <CopyButton value={value} what="TXT value" />
          </dd>
        </div>
      </dl>
      {error && (
        <Alert
          tone="error"
          title={error.code === 'verification_failed' ? 'Not verified yet' : undefined}
        >
          {error.message}
        </Alert>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => verify.run()}
        >
          <Icon name="refresh" />
          {busy ? 'Checking…' : attempts > 0 ? 'Check again' : 'Verify'}
        </button>
        <span className="muted">DNS changes can take a few minutes to reach every resolver.</span>
      </div>
    </section>
  );
}
