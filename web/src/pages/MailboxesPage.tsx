import { Pagination } from '../components/Pagination';
import { useCursorPages } from '../hooks/useCursorPages';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { Mailbox } from '../api/types';
import { Alert } from '../components/Alert';
import { AppPasswordsDialog } from '../components/AppPasswordsDialog';
import { BulkForwardingDialog } from '../components/BulkForwardingDialog';
import { BulkSendingDialog } from '../components/BulkSendingDialog';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { ForwardingDialog } from '../components/ForwardingDialog';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { QuotaDialog } from '../components/QuotaDialog';
import { ResetPasswordDialog } from '../components/ResetPasswordDialog';
import { SendingDialog } from '../components/SendingDialog';
import { inTreeOrder, shownName } from '../domains';
import { formatMegabytes, formatNumber } from '../format';
import { useDomains } from '../hooks/useDomains';
import { useLoader } from '../hooks/useLoader';
import { paths } from '../routes';

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 250;

type Action = {
  kind: 'quota' | 'sending' | 'forwarding' | 'reset' | 'apps' | 'delete';
  mailbox: Mailbox;
};

export function MailboxesPage() {
  const domains = useDomains();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [domain, setDomain] = useState('');
  const pages = useCursorPages();
  // Empty filters are left out of the query, as if never set.
  const query = {
    q: q || undefined,
    domain: domain || undefined,
    cursor: pages.cursor,
    limit: PAGE_SIZE,
  };
  const list = useLoader(JSON.stringify(query), (signal) =>
    api.GET('/v1/mailboxes', { params: { query }, signal }),
  );
  const [action, setAction] = useState<Action>();
  const [bulkSending, setBulkSending] = useState(false);
  const [bulkForwarding, setBulkForwarding] = useState(false);
  const [message, setMessage] = useState<string>();
  // After a delete, focus goes to its outcome: the button that opened the dialog goes with its
  // row, and a keyboard user would otherwise land at the top of the page. A layout effect: it
  // runs in the commit that shows the outcome, after the dialog's own clean-up has put focus back
  // on that button, so nothing (a key press, a screen reader) sees focus anywhere in between.
  const outcome = useRef<HTMLDivElement>(null);
  const [deletions, setDeletions] = useState(0);
  useLayoutEffect(() => {
    if (deletions > 0) outcome.current?.focus();
  }, [deletions]);
  const [error, setError] = useState<ApiError>();

  const resetPages = pages.reset;
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQ(search.trim().toLowerCase());
      resetPages();
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, resetPages]);

  const done = (text: string) => {
    setAction(undefined);
    setError(undefined);
    setMessage(text);
    list.reload();
  };

  const toggle = async (mailbox: Mailbox) => {
    setMessage(undefined);
    try {
      await api.PATCH('/v1/mailboxes/{address}', {
        params: { path: { address: mailbox.address } },
        body: { active: !mailbox.active },
      });
      done(`${mailbox.address} ${mailbox.active ? 'disabled' : 'enabled'}.`);
    } catch (reason) {
      if (!(reason instanceof ApiError)) throw reason;
      setError(reason);
    }
  };

  const items = list.data?.items ?? [];
  const first = pages.index * PAGE_SIZE + 1;
  return (
    <>
      <PageHeader
        title="Mailboxes"
        subtitle="Every mailbox of the account, in address order."
        actions={
          <>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setBulkSending(true)}
            >
              Set sending limits
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setBulkForwarding(true)}
            >
              Forward mailboxes
            </button>
            <Link to={paths.addMailbox()} className="button button-primary">
              <Icon name="plus" />
              Add Mailbox
            </Link>
          </>
        }
      />
      <div className="filters" role="search">
        <Field
          label="Search by address"
          description="The start of the address, for example jo or josh@sales."
        >
          {(control) => (
            <input
              {...control}
              type="search"
              autoComplete="off"
              spellCheck={false}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          )}
        </Field>
        <Field label="Domain">
          {(control) => (
            <select
              {...control}
              value={domain}
              onChange={(event) => {
                setDomain(event.target.value);
                pages.reset();
              }}
            >
              <option value="">All domains</option>
              {inTreeOrder(domains.data ?? []).map((d) => (
                <option key={d.id} value={d.name}>
                  {shownName(d)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div aria-live="polite" tabIndex={-1} ref={outcome}>
        {message && <Alert tone="success">{message}</Alert>}
      </div>
      {(error ?? list.error) && <Alert tone="error">{(error ?? list.error)?.message}</Alert>}
      {list.data && items.length === 0 && (
        <div className="panel empty">
          <p>
            {q || domain
              ? 'No mailbox matches.'
              : 'No mailboxes yet. Create them one at a time or in bulk.'}
          </p>
          {!q && !domain && (
            <Link to={paths.addMailbox()} className="button button-primary">
              Add Mailbox
            </Link>
          )}
        </div>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              Mailboxes {first} to {first + items.length - 1}
            </caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Name</th>
                <th scope="col">Domain</th>
                <th scope="col" className="numeric">
                  Quota
                </th>
                <th scope="col" className="numeric">
                  Sent today
                </th>
                <th scope="col">Active</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((mailbox) => (
                <tr key={mailbox.id}>
                  <th scope="row">
                    <code className="address">{mailbox.address}</code>
                  </th>
                  <td className="mailbox-name">{mailbox.name}</td>
                  <td className="muted">{mailbox.domain}</td>
                  <td className="numeric">{formatMegabytes(mailbox.quotaMb)}</td>
                  <td
                    className="numeric"
                    title={
                      mailbox.sending.rampDay === null
                        ? undefined
                        : `Warm-up day ${mailbox.sending.rampDay}`
                    }
                  >
                    {formatNumber(mailbox.sending.sentToday)} /{' '}
                    {formatNumber(mailbox.sending.limitToday)}
                  </td>
                  <td>
                    <Badge tone={mailbox.active ? 'success' : 'neutral'}>
                      {mailbox.active ? 'Active' : 'Disabled'}
                    </Badge>
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`${mailbox.active ? 'Disable' : 'Enable'} ${mailbox.address}`}
                      onClick={() => void toggle(mailbox)}
                    >
                      {mailbox.active ? 'Disable' : 'Enable'}
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Reset password of ${mailbox.address}`}
                      onClick={() => setAction({ kind: 'reset', mailbox })}
                    >
                      Reset password
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`App passwords of ${mailbox.address}`}
                      onClick={() => setAction({ kind: 'apps', mailbox })}
                    >
                      App passwords
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Change quota of ${mailbox.address}`}
                      onClick={() => setAction({ kind: 'quota', mailbox })}
                    >
                      Quota
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Change sending limits of ${mailbox.address}`}
                      onClick={() => setAction({ kind: 'sending', mailbox })}
                    >
                      Sending
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Change forwarding of ${mailbox.address}`}
                      title={
                        mailbox.forwarding
                          ? `Forwards to ${mailbox.forwarding.to.join(', ')}`
                          : undefined
                      }
                      onClick={() => setAction({ kind: 'forwarding', mailbox })}
                    >
                      {mailbox.forwarding ? 'Forwarding…' : 'Forward'}
                    </button>
                    <button
                      type="button"
                      className="button button-small button-ghost button-ghost-danger"
                      aria-label={`Delete ${mailbox.address}`}
                      onClick={() => setAction({ kind: 'delete', mailbox })}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination pages={pages} nextCursor={list.data?.nextCursor}>
        <span className="muted">
          {first}–{first + items.length - 1}
        </span>
      </Pagination>
      {action?.kind === 'quota' && (
        <QuotaDialog
          mailbox={action.mailbox}
          onClose={() => setAction(undefined)}
          onSaved={(mailbox) =>
            done(`Quota of ${mailbox.address} is now ${formatMegabytes(mailbox.quotaMb)}.`)
          }
        />
      )}
      {bulkForwarding && (
        <BulkForwardingDialog
          domains={domains.data ?? []}
          initialDomain={domain}
          onClose={() => setBulkForwarding(false)}
          onDone={(text) => {
            setBulkForwarding(false);
            done(text);
          }}
        />
      )}
      {bulkSending && (
        <BulkSendingDialog
          domains={domains.data ?? []}
          initialDomain={domain}
          onClose={() => setBulkSending(false)}
          onDone={(text) => {
            setBulkSending(false);
            done(text);
          }}
        />
      )}
      {action?.kind === 'sending' && (
        <SendingDialog
          mailbox={action.mailbox}
          onClose={() => setAction(undefined)}
          onSaved={(mailbox) =>
            done(
              `${mailbox.address} may now send to ${formatNumber(mailbox.sending.limitToday)} recipients today.`,
            )
          }
        />
      )}
      {action?.kind === 'forwarding' && (
        <ForwardingDialog
          mailbox={action.mailbox}
          onClose={() => setAction(undefined)}
          onSaved={(mailbox) =>
            done(
              mailbox.forwarding
                ? `${mailbox.address} forwards to ${mailbox.forwarding.to.join(', ')}${
                    mailbox.forwarding.keepCopy ? ' and keeps a copy' : ''
                  }.`
                : `${mailbox.address} no longer forwards.`,
            )
          }
        />
      )}
      {action?.kind === 'reset' && (
        <ResetPasswordDialog mailbox={action.mailbox} onClose={() => setAction(undefined)} />
      )}
      {action?.kind === 'apps' && (
        <AppPasswordsDialog mailbox={action.mailbox} onClose={() => setAction(undefined)} />
      )}
      {action?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${action.mailbox.address}?`}
          confirmLabel="Delete mailbox"
          danger
          onClose={() => setAction(undefined)}
          onConfirm={async () => {
            await api.DELETE('/v1/mailboxes/{address}', {
              params: { path: { address: action.mailbox.address } },
            });
            done(`${action.mailbox.address} deleted.`);
            setDeletions((n) => n + 1);
          }}
        >
          <p>
            The address stops receiving mail at once and can no longer sign in or send. This cannot
            be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
