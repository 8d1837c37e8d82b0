import { useState, type ReactNode } from 'react';
import { api, shapeOf, type ApiError } from '../../api/client';
import type { Domain, Job } from '../../api/types';
import { BulkJobProgress } from '../../components/BulkJobProgress';
import { asHostnames, BulkPreviewPanel, type BulkPreview } from '../../components/BulkPreviewPanel';
import { Field } from '../../components/Field';
import { Link } from '../../components/Link';
import { Notice } from '../../components/Notice';
import { formatDuration, formatNumber, formatTime } from '../../format';
import { useCountdown } from '../../hooks/useCountdown';
import { useLoader, type Resource } from '../../hooks/useLoader';
import { useMutation } from '../../hooks/useMutation';
import { paths } from '../../routes';
import { bulkRequest, fieldError, spreadRequest, type MailboxValues } from './mailbox-values';
import { SpreadFields } from './SpreadFields';
import type { ModeForm } from './MailboxForm';

type Stage =
  | { kind: 'form' }
  | { kind: 'preview'; preview: BulkPreview; key: string }
  | { kind: 'job'; job: Job };

interface BulkMailboxesOptions {
  /** Bulk: one name, a count of addresses on one hostname. Spread: personas on several. */
  kind: 'bulk' | 'spread';
  values: MailboxValues;
  set: (patch: Partial<MailboxValues>) => void;
  domains: Resource<Domain[]>;
  /** "Create another batch": back to an empty form. */
  onStartOver: () => void;
}

export interface BulkMailboxes {
  form: ModeForm;
  /** The preview to confirm, or the job's progress; undefined while the form is shown. */
  stage: ReactNode;
  /** Forgets the batch, its refusals and any cooldown reported, and reloads the limits. */
  startOver: () => void;
}

/**
 * An Idempotency-Key per confirmed preview: a retried click cannot create a second batch.
 * getRandomValues works on plain HTTP too, where crypto.randomUUID does not exist.
 */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Add Mailbox in Bulk mode (a count of addresses made from one name) or Spread mode (personas
 * on several domains): previewed (a dry run that writes nothing), confirmed, then followed as
 * a job until its credentials can be downloaded.
 */
export function useBulkMailboxes({
  kind,
  values,
  set,
  domains,
  onStartOver,
}: BulkMailboxesOptions): BulkMailboxes {
  const limits = useLoader('limits', (signal) => api.GET('/v1/limits', { signal }));
  const [stage, setStage] = useState<Stage>({ kind: 'form' });
  // A cooldown the API reported since the limits were loaded.
  const [retryAt, setRetryAt] = useState<string | null>(null);
  const cooldownUntil = retryAt ?? limits.data?.cooldowns.bulkMailboxes.retryAt ?? null;
  const wait = useCountdown(cooldownUntil);

  const noteCooldown = (reason: ApiError) => {
    if (reason.code === 'cooldown_active') setRetryAt(reason.extra('retryAt') ?? null);
  };
  const request = () => (kind === 'spread' ? spreadRequest(values) : bulkRequest(values));
  const preview = useMutation(async () => {
    const answer = shapeOf(
      await api.POST('/v1/mailboxes', { body: { ...request(), dryRun: true } }),
      'preview',
    );
    const cooldown = answer.preview.limits.cooldown;
    if (cooldown.active) setRetryAt(cooldown.retryAt);
    setStage({ kind: 'preview', preview: asHostnames(answer.preview), key: newKey() });
  }, noteCooldown);
  // Confirmed from the preview stage, whose key it sends.
  const key = stage.kind === 'preview' ? stage.key : undefined;
  const confirm = useMutation(async () => {
    const answer = shapeOf(
      await api.POST('/v1/mailboxes', {
        params: { header: { 'idempotency-key': key } },
        body: request(),
      }),
      'job',
    );
    setStage({ kind: 'job', job: answer.job });
    limits.reload();
  }, noteCooldown);

  const startOver = () => {
    preview.reset();
    confirm.reset();
    setRetryAt(null);
    setStage({ kind: 'form' });
    limits.reload();
  };

  const selected = domains.data?.find((d) => d.name === values.domain);
  const maxBulk = limits.data?.limits.maxBulkCount;
  const blocked = wait > 0;
  const countField = (
    <Field
      label="Number of mailboxes"
      description="Number of mailboxes to generate. The addresses are made from the name."
      error={fieldError(preview.error, 'count')}
      aside={
        <span className="limit-note">
          {maxBulk !== undefined && <>Limit: {formatNumber(maxBulk)} per request</>}
          {selected && (
            <>
              <br />
              {selected.unicodeName}: {selected.mailboxCount} / {selected.mailboxLimit} used
            </>
          )}
        </span>
      }
    >
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="numeric"
          min={1}
          max={maxBulk}
          required
          className="input-short"
          value={values.count}
          onChange={(event) => set({ count: event.target.value })}
        />
      )}
    </Field>
  );
  const form: ModeForm = {
    submit: preview,
    ...(kind === 'spread'
      ? {
          shown: ['personas', 'domains', 'perDomain', 'password', 'quota', 'sending'],
          identity: (
            <SpreadFields values={values} set={set} error={preview.error} domains={domains} />
          ),
        }
      : {
          shown: ['name', 'count', 'domain', 'password', 'quota', 'sending'],
          afterDomain: countField,
        }),
    generatedNote: 'Each mailbox gets its own password, in a CSV you can download once.',
    enteredNote: `Every mailbox of the ${kind === 'spread' ? 'spread' : 'batch'} gets this password.`,
    end: (
      <>
        <Notice kind="note">In bulk mode, platform limits and cooldown rules apply.</Notice>
        <Notice kind="warning">
          Large bulk values can cause accidental over-provisioning if not reviewed.
        </Notice>
        {blocked && cooldownUntil && (
          <p className="cooldown" id="cooldown-note">
            A cooldown follows a large batch: the next bulk request can be sent at{' '}
            {formatTime(cooldownUntil)}. Wait for cooldown windows before retrying large batches.
          </p>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={preview.busy || blocked}
            aria-describedby={blocked ? 'cooldown-note' : undefined}
          >
            {blocked
              ? `Available in ${formatDuration(wait)}`
              : preview.busy
                ? 'Preparing preview…'
                : 'Preview addresses'}
          </button>
          <Link to={paths.mailboxes} className="button button-secondary">
            Cancel
          </Link>
        </div>
      </>
    ),
  };

  const view =
    stage.kind === 'job' ? (
      <>
        <BulkJobProgress initial={stage.job} onFinished={() => domains.reload()} />
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={onStartOver}>
            Create another batch
          </button>
          <Link to={paths.mailboxes} className="button button-secondary">
            View mailboxes
          </Link>
        </div>
      </>
    ) : stage.kind === 'preview' ? (
      <BulkPreviewPanel
        preview={stage.preview}
        busy={confirm.busy}
        error={confirm.error}
        wait={wait}
        onConfirm={confirm.run}
        onBack={() => {
          confirm.reset();
          setStage({ kind: 'form' });
        }}
      />
    ) : undefined;

  return { form, stage: view, startOver };
}
