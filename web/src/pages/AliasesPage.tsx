import { Pagination } from '../components/Pagination';
import { useCursorPages } from '../hooks/useCursorPages';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Alias } from '../api/types';
import { Alert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { FormActions } from '../components/FormActions';
import { PageHeader } from '../components/PageHeader';
import { TargetLines } from '../components/TargetLines';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import { paths } from '../routes';
import { splitLines } from '../server-rules';

const PAGE_SIZE = 25;
const SEARCH_DELAY_MS = 250;

/** Aliases and catch-alls: addresses that deliver to other addresses, and no mailbox of their own. */
export function AliasesPage() {
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const pages = useCursorPages();
  const query = { q: q || undefined, cursor: pages.cursor, limit: PAGE_SIZE };
  const list = useLoader(JSON.stringify(query), (signal) =>
    api.GET('/v1/aliases', { params: { query }, signal }),
  );
  const [message, setMessage] = useState<string>();
  const [removing, setRemoving] = useState<Alias>();
  const outcome = useRef<HTMLDivElement>(null);

  const resetPages = pages.reset;
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQ(search.trim().toLowerCase());
      resetPages();
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [search, resetPages]);

  const done = (text: string) => {
    setMessage(text);
    list.reload();
    window.setTimeout(() => outcome.current?.focus());
  };

  const [address, setAddress] = useState('');
  const [text, setText] = useState('');
  const targets = splitLines(text);
  const add = useMutation(async () => {
    const alias = await api.POST('/v1/aliases', { body: { address, targets } });
    setAddress('');
    setText('');
    done(`${alias.address} now delivers to ${alias.targets.join(', ')}.`);
  });
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, add.error);
  const addressMessage = add.error?.messageFor('address');
  const targetsMessage = add.error?.messageFor('targets');

  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Aliases"
        subtitle="Addresses that deliver to one or more other addresses. A catch-all (@host) takes mail for every address of its hostname that no mailbox or alias has."
      />
      <div aria-live="polite" tabIndex={-1} ref={outcome}>
        {message && <Alert tone="success">{message}</Alert>}
      </div>
      <form ref={form} className="panel form" onSubmit={add.submit} noValidate>
        <h2>Add an alias</h2>
        {add.error && !addressMessage && !targetsMessage && (
          <Alert tone="error">{add.error.message}</Alert>
        )}
        <Field
          label="Address"
          description="On a verified domain or sub-domain, for example sales@example.com, or @example.com for a catch-all."
          error={addressMessage}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              required
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="none"
              value={address}
              onChange={(event) => setAddress(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="Deliver to"
          description="One address per line: mailboxes or aliases of this account, or addresses anywhere else."
          error={targetsMessage}
          after={add.error && <TargetLines lines={targets} field="targets" error={add.error} />}
        >
          {(control) => (
            <textarea
              {...control}
              rows={4}
              required
              spellCheck={false}
              autoCapitalize="none"
              placeholder={'josh@example.com\nann@partner.example'}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <FormActions
          label="Add alias"
          busyLabel="Adding…"
          busy={add.busy}
          cancelTo={paths.aliases}
        />
      </form>
      <div className="filters" role="search">
        <Field
          label="Search by address"
          description="The start of the address, for example sa, or @ for the catch-alls."
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
      </div>
      {list.error && <Alert tone="error">{list.error.message}</Alert>}
      {list.data && items.length === 0 && (
        <div className="panel empty">
          <p>{q ? 'No alias matches.' : 'No aliases yet.'}</p>
        </div>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Aliases</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Delivers to</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((alias) => (
                <tr key={alias.id}>
                  <th scope="row">
                    <code className="address">{alias.address}</code>{' '}
                    {alias.catchAll && <Badge tone="neutral">Catch-all</Badge>}
                  </th>
                  <td>
                    <code className="address">{alias.targets.join(', ')}</code>
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-ghost button-ghost-danger"
                      aria-label={`Remove ${alias.address}`}
                      onClick={() => setRemoving(alias)}
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
      <Pagination pages={pages} nextCursor={list.data?.nextCursor} />
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.address}?`}
          confirmLabel="Remove alias"
          danger
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            await api.DELETE('/v1/aliases/{address}', {
              params: { path: { address: removing.address } },
            });
            setRemoving(undefined);
            done(`${removing.address} removed.`);
          }}
        >
          <p>
            {removing.catchAll
              ? 'Mail to addresses of the hostname that no mailbox or alias has is refused again.'
              : 'Mail to this address is refused from now on. Its targets keep their own mail.'}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
