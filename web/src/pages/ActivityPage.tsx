import { useState } from 'react';
import { api } from '../api/client';
import type { AuditEvent } from '../api/types';
import { Alert } from '../components/Alert';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { useLoader } from '../hooks/useLoader';

const PAGE_SIZE = 50;

/** Plain words for the audit log's action codes; unknown codes are shown as they are. */
const ACTIONS: Record<string, string> = {
  'account.created': 'Account created',
  'account.limits_changed': 'Limits changed',
  'domain.created': 'Domain added',
  'domain.verified': 'Domain verified',
  'domain.verified_manually': 'Domain verified by the operator',
  'domain.updated': 'Domain changed',
  'domain.deleted': 'Domain deleted',
  'subdomain.created': 'Sub-domain added',
  'dns.published': 'DNS records published',
  'dkim.rotated': 'DKIM key rotated',
  'dkim.retired': 'DKIM key retired',
  'mailbox.created': 'Mailbox created',
  'mailbox.updated': 'Mailbox changed',
  'mailbox.deleted': 'Mailbox deleted',
  'mailboxes.bulk_requested': 'Bulk mailboxes requested',
  'mailboxes.import_requested': 'Mailbox import requested',
  'credentials.downloaded': 'Credentials downloaded',
  'job.finished': 'Job finished',
  'job.cancelled': 'Job cancelled',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'user.created': 'Operator added',
  'user.signed_in': 'Signed in',
  'user.signed_out': 'Signed out',
  'bulk_delete_domains.requested': 'Bulk domain delete requested',
  'bulk_delete_mailboxes.requested': 'Bulk mailbox delete requested',
  'bulk_set_sending.requested': 'Sending limits of many mailboxes requested',
  'bulk_set_forwarding.requested': 'Forwarding of many mailboxes requested',
};

const show = (value: unknown): string =>
  Array.isArray(value)
    ? value.map(show).join(', ')
    : typeof value === 'object' && value !== null
      ? JSON.stringify(value)
      : String(value);

/** `user:<email>` and `token:<id>` as people read them. */
function who(actor: string): string {
  if (actor.startsWith('user:')) return actor.slice('user:'.length);
  if (actor.startsWith('token:'))
    return `API token ${actor.slice('token:'.length, 'token:'.length + 8)}…`;
  return actor;
}

function Details({ details }: { details: AuditEvent['details'] }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return null;
  return (
    <dl className="event-details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function EventPage({ cursor, onMore }: { cursor?: string; onMore?: (next: string) => void }) {
  const page = useLoader(cursor ?? 'first', (signal) =>
    api.GET('/v1/events', { params: { query: { cursor, limit: PAGE_SIZE } }, signal }),
  );
  if (page.error || !page.data)
    return (
      <tr>
        <td colSpan={5}>
          {page.error ? (
            <Alert tone="error">{page.error.message}</Alert>
          ) : (
            <span className="muted">Loading activity…</span>
          )}
        </td>
      </tr>
    );
  return (
    <>
      {page.data.items.map((event) => (
        <tr key={event.id}>
          <td className="nowrap">
            <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
          </td>
          <td>
            {ACTIONS[event.action] ?? event.action}
            <span className="event-code">{event.action}</span>
          </td>
          <td className="event-target">
            <code>{event.target}</code>
          </td>
          <td className="muted event-actor" title={event.actor}>
            {who(event.actor)}
          </td>
          <td>
            <Details details={event.details} />
          </td>
        </tr>
      ))}
      {onMore && page.data.nextCursor && (
        <tr>
          <td colSpan={5}>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => page.data?.nextCursor && onMore(page.data.nextCursor)}
            >
              Show older events
            </button>
          </td>
        </tr>
      )}
    </>
  );
}

export function ActivityPage() {
  // One entry per loaded page; each page fetches itself from its cursor.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return (
    <>
      <PageHeader
        title="Activity"
        subtitle="The account's audit log, newest first: who changed what, and when."
      />
      <div className="table-wrap">
        <table className="table table-top">
          <caption className="visually-hidden">Audit log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">By</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {cursors.map((cursor, index) => (
              <EventPage
                key={cursor ?? 'first'}
                cursor={cursor}
                onMore={
                  index === cursors.length - 1
                    ? (next) => setCursors((list) => [...list, next])
                    : undefined
                }
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
