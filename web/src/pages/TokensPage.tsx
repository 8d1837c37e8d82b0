import { CheckboxGroup } from '../components/CheckboxGroup';
import { useRef, useState } from 'react';
import { api, type Answer } from '../api/client';
import type { ApiToken } from '../api/types';
import { Alert } from '../components/Alert';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { PageHeader } from '../components/PageHeader';
import { WebhooksSection } from '../components/WebhooksSection';
import { formatDateTime } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import {
  MAX_TOKEN_DOMAINS,
  SCOPE_DESCRIPTIONS,
  SCOPES,
  splitLines,
  type Scope,
} from '../server-rules';

/** How a token's reach reads in the list: its scopes, and its domains when it has a list. */
const reachOf = (token: Pick<ApiToken, 'scopes' | 'domains'>): string =>
  `${token.scopes.join(', ')}${token.domains ? ` — only ${token.domains.join(', ')}` : ''}`;

export function TokensPage() {
  const tokens = useLoader('tokens', (signal) => api.GET('/v1/tokens', { signal }));
  const [label, setLabel] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['admin']);
  const [domains, setDomains] = useState('');
  const [created, setCreated] = useState<Answer<'post', '/v1/tokens'>>();
  const [revoking, setRevoking] = useState<ApiToken>();
  const [message, setMessage] = useState<string>();
  const create = useMutation(async () => {
    setMessage(undefined);
    const roots = splitLines(domains);
    setCreated(
      await api.POST('/v1/tokens', {
        body: { label, scopes, ...(roots.length > 0 ? { domains: roots } : {}) },
      }),
    );
    setLabel('');
    setDomains('');
    tokens.reload();
  });
  const { busy, error } = create;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);

  const items = tokens.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="Tokens let scripts and other systems use the API as this account: send one as Authorization: Bearer <token>."
      />
      <form ref={form} className="panel form" onSubmit={create.submit} noValidate>
        <h2>Create a token</h2>
        {error &&
          !error.messageFor('label') &&
          !error.messageFor('scopes') &&
          !error.messageFor('domains') && <Alert tone="error">{error.message}</Alert>}
        <Field
          label="Label"
          description="What the token is for, so you know which one to revoke later (for example, billing sync)."
          error={error?.messageFor('label')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              required
              value={label}
              onChange={(event) => setLabel(event.target.value)}
            />
          )}
        </Field>
        <CheckboxGroup
          legend="Scopes"
          name="scopes"
          description="What the token may do. Give it only what its program uses: a call outside them is refused with insufficient_scope."
          options={SCOPES}
          meaning={SCOPE_DESCRIPTIONS}
          value={scopes}
          onChange={setScopes}
          error={error?.messageFor('scopes')}
        />
        <Field
          label="Only these domains (optional)"
          description={`Root domains, one per line (up to ${MAX_TOKEN_DOMAINS}): the token then sees and changes only them and their sub-domains. Leave empty for every domain.`}
          error={error?.messageFor('domains')}
        >
          {(control) => (
            <textarea
              {...control}
              rows={3}
              autoComplete="off"
              value={domains}
              onChange={(event) => setDomains(event.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
        {created && (
          <OneTimeSecret
            title={`Token "${created.label}"`}
            what="API token"
            value={created.token}
            advice="and store it where the program that uses it can read it."
          />
        )}
      </form>
      <div aria-live="polite">{message && <Alert tone="success">{message}</Alert>}</div>
      {tokens.error && <Alert tone="error">{tokens.error.message}</Alert>}
      {tokens.data && items.length === 0 && <p className="muted">No API tokens yet.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">API tokens of this account</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Access</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.label || <span className="muted">No label</span>}</th>
                  <td>{reachOf(token)}</td>
                  <td>{formatDateTime(token.createdAt)}</td>
                  <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost button-ghost-danger"
                      aria-label={`Revoke ${token.label || `the token created ${formatDateTime(token.createdAt)}`}`}
                      onClick={() => setRevoking(token)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revoking && (
        <ConfirmDialog
          title={revoking.label ? `Revoke "${revoking.label}"?` : 'Revoke this token?'}
          confirmLabel="Revoke token"
          danger
          onClose={() => setRevoking(undefined)}
          onConfirm={async () => {
            await api.DELETE('/v1/tokens/{id}', { params: { path: { id: revoking.id } } });
            setRevoking(undefined);
            setCreated((current) => (current?.id === revoking.id ? undefined : current));
            setMessage(revoking.label ? `Token "${revoking.label}" revoked.` : 'Token revoked.');
            tokens.reload();
          }}
        >
          <p>Programs using this token are refused from now on. This cannot be undone.</p>
        </ConfirmDialog>
      )}
      <WebhooksSection />
    </>
  );
}
