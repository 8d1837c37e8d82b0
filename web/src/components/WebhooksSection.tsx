import { CheckboxGroup } from './CheckboxGroup';
import { useRef, useState } from 'react';
import { api, type Answer } from '../api/client';
import { formatDateTime } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import {
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENTS,
  WEBHOOK_SECRET_LENGTH,
  type WebhookEvent,
} from '../server-rules';
import { Alert } from './Alert';
import { ConfirmDialog } from './ConfirmDialog';
import { Field } from './Field';
import { OneTimeSecret } from './OneTimeSecret';

type Webhook = Answer<'get', '/v1/webhooks'>['items'][number];
type Delivery = Answer<'get', '/v1/webhooks/{id}/deliveries'>['items'][number];

/** Webhook endpoints of the account, on the tokens page: both let other systems in on it. */
export function WebhooksSection() {
  const hooks = useLoader('webhooks', (signal) => api.GET('/v1/webhooks', { signal }));
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['job.finished']);
  const [secret, setSecret] = useState('');
  const [created, setCreated] = useState<Answer<'post', '/v1/webhooks'>>();
  const [removing, setRemoving] = useState<Webhook>();
  const [shown, setShown] = useState<{ hook: Webhook; items: Delivery[] }>();
  const [message, setMessage] = useState<string>();
  const add = useMutation(async () => {
    setMessage(undefined);
    setCreated(
      await api.POST('/v1/webhooks', { body: { url, events, ...(secret ? { secret } : {}) } }),
    );
    setUrl('');
    setSecret('');
    hooks.reload();
  });
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, add.error);
  const viewing = useRef<Webhook>(undefined);
  const deliveries = useMutation(async () => {
    const hook = viewing.current!;
    const log = await api.GET('/v1/webhooks/{id}/deliveries', {
      params: { path: { id: hook.id } },
    });
    setShown({ hook, items: log.items });
  });

  const items = hooks.data?.items ?? [];
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        Each event is POSTed as JSON to the URL, signed in the Mailwright-Signature header with the
        endpoint&apos;s secret, and retried with growing pauses for about a day while the receiver
        fails.
      </p>
      <form ref={form} className="panel form" onSubmit={add.submit} noValidate>
        <h3>Add an endpoint</h3>
        {add.error &&
          !add.error.messageFor('url') &&
          !add.error.messageFor('events') &&
          !add.error.messageFor('secret') && <Alert tone="error">{add.error.message}</Alert>}
        <Field
          label="URL"
          description="An https:// address that receives the events; private and link-local addresses are refused."
          error={add.error?.messageFor('url')}
        >
          {(control) => (
            <input
              {...control}
              type="url"
              autoComplete="off"
              required
              maxLength={MAX_WEBHOOK_URL_LENGTH}
              value={url}
              onChange={(event) => setUrl(event.target.value)}
            />
          )}
        </Field>
        <CheckboxGroup
          legend="Events"
          name="events"
          options={WEBHOOK_EVENTS}
          meaning={WEBHOOK_EVENT_DESCRIPTIONS}
          value={events}
          onChange={setEvents}
          error={add.error?.messageFor('events')}
        />
        <Field
          label="Signing secret (optional)"
          description={`Leave empty to have one generated and shown once. Your own: ${WEBHOOK_SECRET_LENGTH[0]}–${WEBHOOK_SECRET_LENGTH[1]} printable characters without spaces; it is never shown back.`}
          error={add.error?.messageFor('secret')}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="off"
              maxLength={WEBHOOK_SECRET_LENGTH[1]}
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add endpoint'}
          </button>
        </div>
        {created?.secret && (
          <OneTimeSecret
            title={`Signing secret of ${created.url}`}
            what="signing secret"
            value={created.secret}
            advice="and give it to the receiver, which checks each delivery's signature with it."
          />
        )}
      </form>
      <div aria-live="polite">{message && <Alert tone="success">{message}</Alert>}</div>
      {hooks.error && <Alert tone="error">{hooks.error.message}</Alert>}
      {hooks.data && items.length === 0 && <p className="muted">No webhooks yet.</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Webhook endpoints of this account</caption>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((hook) => (
                <tr key={hook.id}>
                  <th scope="row">
                    <code>{hook.url}</code>
                  </th>
                  <td>{hook.events.join(', ')}</td>
                  <td>{formatDateTime(hook.createdAt)}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      onClick={() => {
                        viewing.current = hook;
                        deliveries.run();
                      }}
                    >
                      Deliveries
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost button-ghost-danger"
                      aria-label={`Remove ${hook.url}`}
                      onClick={() => setRemoving(hook)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deliveries.error && <Alert tone="error">{deliveries.error.message}</Alert>}
      {shown && (
        <div className="panel">
          <h3>Deliveries to {shown.hook.url}</h3>
          {shown.items.length === 0 ? (
            <p className="muted">Nothing sent yet.</p>
          ) : (
            <ul>
              {shown.items.map((d) => (
                <li key={d.id}>
                  {formatDateTime(d.createdAt)} <code>{d.event}</code>: {d.status}
                  {` after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`}
                  {d.error && ` — ${d.error}`}
                  {d.nextAttemptAt && `, next ${formatDateTime(d.nextAttemptAt)}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.url}?`}
          confirmLabel="Remove endpoint"
          danger
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            await api.DELETE('/v1/webhooks/{id}', { params: { path: { id: removing.id } } });
            setRemoving(undefined);
            setShown((current) => (current?.hook.id === removing.id ? undefined : current));
            setMessage(`Endpoint ${removing.url} removed.`);
            hooks.reload();
          }}
        >
          <p>It gets no more events, and deliveries still waiting for a retry are dropped.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
