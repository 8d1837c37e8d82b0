import type { Job } from '../api/types';
import { formatNumber, plural } from '../format';
import { jobFinished, useFollowedJob } from '../hooks/useFollowedJob';
import { Alert } from './Alert';
import { Modal } from './Modal';
import { ProgressBar } from './ProgressBar';

/**
 * A job of one item per mailbox (sending limits or forwarding of many), followed until it
 * ends: its progress, then each mailbox it failed or refused, with the reason.
 */
export function MailboxJobProgress({
  title,
  accepted,
  doneText,
  onDone,
  onClose,
}: {
  title: string;
  accepted: Job;
  /** What the page says afterwards, from the number of mailboxes changed. */
  doneText: (done: number) => string;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { job } = useFollowedJob(accepted, () => undefined);
  return (
    <Modal title={title} onClose={onClose}>
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
          disabled={!jobFinished(job)}
          onClick={() => onDone(doneText(job.done))}
        >
          Done
        </button>
      </div>
    </Modal>
  );
}
