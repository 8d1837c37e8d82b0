import { useState } from 'react';
import { api, type Answer } from '../api/client';
import type { AppPassword, Mailbox } from '../api/types';
import { formatDateTime } from '../format';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { Field } from './Field';
import { Modal } from './Modal';
import { OneTimeSecret } from './OneTimeSecret';

interface AppPasswordsDialogProps {
  mailbox: Mailbox;
  onClose: () => void;
}

/**
 * A mailbox's app passwords: one per mail program, generated and shown once here, each revoked
 * on its own while the mailbox's password and the other app passwords keep working.
 */
export function AppPasswordsDialog({ mailbox, onClose }: AppPasswordsDialogProps) {
  const path = { params: { path: { address: mailbox.address } } };
  const list = useLoader(`app-passwords ${mailbox.address}`, (signal) =>
    api.GET('/v1/mailboxes/{address}/app-passwords', { ...path, signal }),
  );
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<Answer<'post', '/v1/mailboxes/{address}/app-passwords'>>();
  const [revoking, setRevoking] = useState<AppPassword>();
  const [message, setMessage] = useState<string>();
  const create = useMutation(async () => {
    setMessage(undefined);
    setCreated(
      await api.POST('/v1/mailboxes/{address}/app-passwords', { ...path, body: { label } }),
    );
    setLabel('');
    list.reload();
  });
  const revoke = useMutation(async () => {
    if (!revoking) return;
    await api.DELETE('/v1/mailboxes/{address}/app-passwords/{id}', {
      params: { path: { address: mailbox.address, id: revoking.id } },
    });
    setCreated((current) => (current?.id === revoking.id ? undefined : current));
    setMessage(`App password "${revoking.label}" revoked.`);
    setRevoking(undefined);
    list.reload();
  });
  const items = list.data?.items ?? [];

  if (revoking) {
    return (
      <Modal title={`Revoke "${revoking.label}"?`} onClose={() => setRevoking(undefined)}>
        <p className="modal-body">
          The mail program using this app password is refused at its next sign-in. The mailbox’s own
          password and its other app passwords keep working. This cannot be undone.
        </p>
        {revoke.error && <Alert tone="error">{revoke.error.message}</Alert>}
        <div className="modal-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setRevoking(undefined)}
            data-autofocus
          >
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={revoke.busy}
            onClick={() => revoke.run()}
          >
            Revoke app password
          </button>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title={`App passwords of ${mailbox.address}`} onClose={onClose}>
      <div className="modal-body">
        <p>
          Give each mail program (phone, laptop, CRM) its own password for IMAP and SMTP, so one can
          be revoked without changing the others. Sign in with the mailbox address as the user name.
        </p>
        <form className="form" onSubmit={create.submit} noValidate>
          {create.error && !create.error.messageFor('label') && (
            <Alert tone="error">{create.error.message}</Alert>
          )}
          <Field
            label="Label"
            description="Where it is used, for example phone."
            error={create.error?.messageFor('label')}
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
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={create.busy}>
              {create.busy ? 'Generating…' : 'Generate app password'}
            </button>
          </div>
        </form>
        {created && (
          <OneTimeSecret
            title={`App password "${created.label}"`}
            what="app password"
            value={created.password}
            advice="and enter it in the mail program it is for."
          />
        )}
        <div aria-live="polite">{message && <Alert tone="success">{message}</Alert>}</div>
        {list.error && <Alert tone="error">{list.error.message}</Alert>}
        {list.data && items.length === 0 && <p className="muted">No app passwords yet.</p>}
        {items.length > 0 && (
          <table className="table">
            <caption className="visually-hidden">App passwords of {mailbox.address}</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">{item.label}</th>
                  <td>{formatDateTime(item.createdAt)}</td>
                  <td>{item.lastUsedAt ? formatDateTime(item.lastUsedAt) : 'Never'}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost button-ghost-danger"
                      aria-label={`Revoke ${item.label}`}
                      onClick={() => setRevoking(item)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="modal-actions">
        <button type="button" className="button button-secondary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
