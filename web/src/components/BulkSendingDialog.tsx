import { useEffect, useRef, useState } from 'react';
import { api, type Answer } from '../api/client';
import type { Domain, Job } from '../api/types';
import { inTreeOrder, shownName } from '../domains';
import { formatNumber, plural } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { splitLines } from '../server-rules';
import { Alert } from './Alert';
import { Field } from './Field';
import { Modal } from './Modal';
import { ProgressBar } from './ProgressBar';
import {
  SENDING_FIELDS,
  SendingFields,
  sendingRequest,
  sendingValuesOf,
  type SendingValues,
} from './SendingFields';

type PreviewRow = Extract<
  Answer<'post', '/v1/mailboxes/bulk-sending'>,
  { preview: unknown }
>['preview']['mailboxes'][number];

const POLL_MS = 600;

const summary = (p: PreviewRow['before']) =>
  `${formatNumber(p.dailyLimit)}/day, ${formatNumber(p.hourlyLimit)}/hour` +
  (p.warmup ? `, ramp ${p.warmup.start} + ${p.warmup.increment}/day up to ${p.warmup.max}` : '');

/**
 * The sending limits of many mailboxes at once: every mailbox of a hostname or the listed
 * addresses. A preview shows each mailbox's limits now and after; applying runs a job, one
 * result per mailbox, shown here as it goes.
 */
export function BulkSendingDialog({
  domains,
  initialDomain,
  onDone,
  onClose,
}: {
  domains: Domain[];
  initialDomain: string;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const [byDomain, setByDomain] = useState(true);
  const [domain, setDomain] = useState(initialDomain || (domains[0]?.name ?? ''));
  const [addresses, setAddresses] = useState('');
  const [values, setValues] = useState<SendingValues>(() =>
    sendingValuesOf({ dailyLimit: 30, hourlyLimit: 10, warmup: null }),
  );
  const [rows, setRows] = useState<PreviewRow[]>();
  const [job, setJob] = useState<Job>();
  const body = () => ({
    ...(byDomain ? { domain } : { addresses: splitLines(addresses) }),
    sending: sendingRequest(values),
  });
  const preview = useMutation(async () => {
    const answer = await api.POST('/v1/mailboxes/bulk-sending', {
      body: { ...body(), dryRun: true },
    });
    if ('preview' in answer) setRows(answer.preview.mailboxes);
  });
  const apply = useMutation(async () => {
    const answer = await api.POST('/v1/mailboxes/bulk-sending', { body: body() });
    if ('job' in answer) setJob(answer.job);
  });
  const error = preview.error ?? apply.error;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);
  const field = (name: string) => error?.messageFor(`sending.${name}`);
  const anyField =
    SENDING_FIELDS.map(field).some(Boolean) ||
    Boolean(error?.messageFor('addresses') ?? error?.messageFor('domain'));

  useEffect(() => {
    if (!job || job.finishedAt !== null) return;
    const timer = setTimeout(() => {
      void api
        .GET('/v1/jobs/{id}', { params: { path: { id: job.id } } })
        .then(setJob, () => undefined);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  if (job) {
    const finished = job.finishedAt !== null;
    return (
      <Modal title="Set sending limits" onClose={onClose}>
        <ProgressBar
          value={job.done + job.failed}
          max={job.total}
          label="Mailboxes updated"
          valueText={`${job.done + job.failed} of ${job.total}`}
        />
        <p aria-live="polite">
          {formatNumber(job.done)} of {plural(job.total, 'mailbox', 'mailboxes')} updated
          {job.failed > 0 ? `, ${formatNumber(job.failed)} failed` : ''}.
        </p>
        {job.errors.map((e) => (
          <Alert key={e.address} tone="error">
            {e.address}: {e.message}
          </Alert>
        ))}
        <div className="modal-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={!finished}
            onClick={() =>
              onDone(`Sending limits set on ${plural(job.done, 'mailbox', 'mailboxes')}.`)
            }
          >
            Done
          </button>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title="Set sending limits" onClose={onClose}>
      <form ref={form} onSubmit={rows ? apply.submit : preview.submit} noValidate>
        {error && !anyField && <Alert tone="error">{error.message}</Alert>}
        <fieldset className="field">
          <legend className="field-label">Mailboxes</legend>
          <label className="choice">
            <input
              type="radio"
              name="scope"
              checked={byDomain}
              onChange={() => {
                setByDomain(true);
                setRows(undefined);
              }}
            />{' '}
            Every mailbox of a domain
          </label>
          <label className="choice">
            <input
              type="radio"
              name="scope"
              checked={!byDomain}
              onChange={() => {
                setByDomain(false);
                setRows(undefined);
              }}
            />{' '}
            These addresses
          </label>
        </fieldset>
        {byDomain ? (
          <Field label="Domain" error={error?.messageFor('domain')}>
            {(control) => (
              <select
                {...control}
                value={domain}
                onChange={(event) => {
                  setDomain(event.target.value);
                  setRows(undefined);
                }}
              >
                {inTreeOrder(domains).map((d) => (
                  <option key={d.id} value={d.name}>
                    {shownName(d)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field
            label="Addresses"
            description="One address a line."
            error={error?.messageFor('addresses')}
          >
            {(control) => (
              <textarea
                {...control}
                rows={4}
                spellCheck={false}
                value={addresses}
                onChange={(event) => {
                  setAddresses(event.target.value);
                  setRows(undefined);
                }}
              />
            )}
          </Field>
        )}
        <SendingFields
          values={values}
          onChange={(patch) => {
            setValues((v) => ({ ...v, ...patch }));
            setRows(undefined);
          }}
          errorFor={field}
        />
        {rows && (
          <table className="table" aria-label="Preview">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Now</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.address}>
                  <td>{row.address}</td>
                  <td>{summary(row.before)}</td>
                  <td>{row.changed ? summary(row.after) : 'unchanged'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={preview.busy || apply.busy}
          >
            {rows ? `Apply to ${plural(rows.length, 'mailbox', 'mailboxes')}` : 'Preview'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
