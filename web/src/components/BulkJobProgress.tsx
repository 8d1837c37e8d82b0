import { useEffect, useRef, useState } from 'react';
import { api, downloadFile } from '../api/client';
import type { Job } from '../api/types';
import { formatTime, plural } from '../format';
import { jobFinished, useFollowedJob } from '../hooks/useFollowedJob';
import { useMutation } from '../hooks/useMutation';
import { saveFile } from '../save-file';
import {
  CREDENTIALS_FORMAT_LABELS,
  CREDENTIALS_FORMATS,
  DEFAULT_CREDENTIALS_FORMAT,
  type CredentialsFormat,
} from '../server-rules';
import { Alert } from './Alert';
import { ConfirmDialog } from './ConfirmDialog';
import { Icon } from './Icon';
import { ProgressBar } from './ProgressBar';

function CredentialsDownload({ job }: { job: Job }) {
  const [saved, setSaved] = useState<string>();
  const [gone, setGone] = useState(false);
  const [format, setFormat] = useState<CredentialsFormat>(DEFAULT_CREDENTIALS_FORMAT);
  const download = useMutation(
    async () => {
      const file = await downloadFile('/v1/jobs/{id}/credentials.csv', {
        params: { path: { id: job.id }, query: { format } },
      });
      const name = file.filename ?? `mailwright-credentials-${job.id}.csv`;
      saveFile(file.blob, name);
      setSaved(name);
    },
    // Gone (410) cannot succeed on a retry; anything else can.
    (reason) => setGone(reason.status === 410),
  );
  const { error } = download;
  const ready = !download.busy && saved === undefined && !gone;

  if (job.credentials === 'none')
    return <p className="muted">Every mailbox uses the password you entered.</p>;
  if (job.credentials === 'expired')
    return (
      <p className="muted">
        The generated passwords were erased unread after 24 hours; reset passwords on the Mailboxes
        page.
      </p>
    );
  if (job.credentials === 'downloaded' && ready)
    return (
      <p className="muted">The credentials were already downloaded; the server keeps no copy.</p>
    );
  return (
    <div className="credentials">
      <label className="credentials-format">
        Format{' '}
        <select
          value={format}
          disabled={!ready}
          onChange={(event) => setFormat(event.target.value as CredentialsFormat)}
        >
          {CREDENTIALS_FORMATS.map((f) => (
            <option key={f} value={f}>
              {CREDENTIALS_FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button button-primary"
        disabled={!ready}
        onClick={() => download.run()}
      >
        <Icon name="download" />
        Download credentials (CSV)
      </button>
      {saved ? (
        <p role="status">
          Saved {saved}. The server erases its copy in a few minutes: keep this file safe, it holds
          the passwords.
        </p>
      ) : (
        <p className="muted">
          One download only: the server erases the passwords a few minutes after the file is
          downloaded (time to download it again from this session if saving fails).
        </p>
      )}
      {error && <Alert tone="error">{error.message}</Alert>}
    </div>
  );
}

/** Follows a bulk job until it ends, then offers its credentials once. */
export function BulkJobProgress({ initial, onFinished }: { initial: Job; onFinished: () => void }) {
  // An export gives existing mailboxes new passwords; every other such job creates them.
  const exporting = initial.kind === 'export_mailboxes';
  const verb = exporting ? 'changed' : 'created';
  const { job, setJob, error } = useFollowedJob(initial, onFinished);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const done = jobFinished(job);

  useEffect(() => heading.current?.focus(), []);

  const title =
    job.status === 'queued'
      ? 'Waiting to start…'
      : job.status === 'running'
        ? exporting
          ? 'Issuing new passwords…'
          : 'Creating mailboxes…'
        : job.status === 'cancelled'
          ? `Cancelled: ${plural(job.done, 'mailbox', 'mailboxes')} ${verb}, the rest not`
          : job.failed === 0 && job.status === 'succeeded'
            ? `${plural(job.done, 'mailbox', 'mailboxes')} ${verb}`
            : `Finished: ${job.done} ${verb}, ${job.failed} failed`;
  return (
    <section className="panel" aria-labelledby="job-heading">
      <h2 id="job-heading" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      <ProgressBar
        label={`Mailboxes ${verb}`}
        value={job.done + job.failed}
        max={job.total}
        valueText={`${job.done} of ${job.total} ${verb}${job.failed ? `, ${job.failed} failed` : ''}`}
        tone={job.failed > 0 ? 'danger' : 'neutral'}
      />
      <p className="progress-text" aria-live="polite">
        {job.done} / {job.total} {verb}
        {job.failed > 0 && `, ${job.failed} failed`}
        {job.nextRunAt && !done && ` · next stage at ${formatTime(job.nextRunAt)}`}
      </p>
      {error && <Alert tone="error">{error.message} Still trying…</Alert>}
      {job.errors.length > 0 && (
        <div>
          <h3>Errors</h3>
          <ul className="job-errors">
            {job.errors.map((e) => (
              <li key={e.address}>
                <code>{e.address}</code>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!done && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setConfirmCancel(true)}
        >
          Cancel job
        </button>
      )}
      {confirmCancel && !done && (
        <ConfirmDialog
          title="Cancel the rest of this job?"
          confirmLabel="Cancel job"
          danger
          onClose={() => setConfirmCancel(false)}
          onConfirm={async () => {
            const next = await api.POST('/v1/jobs/{id}/cancel', {
              params: { path: { id: job.id } },
            });
            setConfirmCancel(false);
            setJob(next);
            onFinished();
          }}
        >
          <p>
            The mailboxes not created yet ({job.total - job.done - job.failed}) never will be. The{' '}
            {plural(job.done, 'mailbox', 'mailboxes')} already created stay, and so do their
            credentials.
          </p>
        </ConfirmDialog>
      )}
      {done && job.done > 0 && <CredentialsDownload job={job} />}
    </section>
  );
}
