import { useRef, useState } from 'react';
import { api, shapeOf, type ApiError } from '../api/client';
import type { Domain, Job, Mailbox } from '../api/types';
import { Alert } from '../components/Alert';
import { BulkJobProgress } from '../components/BulkJobProgress';
import { BulkPreviewPanel, type BulkPreview } from '../components/BulkPreviewPanel';
import { Field } from '../components/Field';
import { QuotaInput } from '../components/QuotaInput';
import { Link } from '../components/Link';
import { MailboxCreated } from '../components/MailboxCreated';
import { Notice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { PasswordStrengthMeter } from '../components/PasswordStrengthMeter';
import { inTreeOrder, shownName } from '../domains';
import { formatDuration, formatNumber, formatTime } from '../format';
import { useCountdown } from '../hooks/useCountdown';
import { useDomains } from '../hooks/useDomains';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import { paths } from '../routes';

const DEFAULT_QUOTA_MB = '1024';

interface Values {
  name: string;
  mode: 'single' | 'bulk';
  localPart: string;
  domain: string;
  count: string;
  generate: boolean;
  password: string;
  quota: string;
}

type Stage =
  | { kind: 'form' }
  | { kind: 'preview'; preview: BulkPreview; key: string }
  | { kind: 'job'; job: Job }
  | { kind: 'created'; mailbox: Mailbox; password: string | undefined };

/** Refusals that name no field but are about one. */
const FIELD_OF_CODE: Record<string, keyof Values> = {
  mailbox_exists: 'localPart',
  domain_not_verified: 'domain',
  domain_not_found: 'domain',
};
const API_FIELD: Partial<Record<keyof Values, string>> = {
  password: 'password',
  quota: 'quotaMb',
};

/**
 * An Idempotency-Key per confirmed preview: a retried click cannot create a second batch.
 * getRandomValues works on plain HTTP too, where crypto.randomUUID does not exist.
 */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function DomainOptions({ domains }: { domains: Domain[] }) {
  return (
    <>
      {inTreeOrder(domains).map((d) => (
        <option key={d.id} value={d.name} disabled={d.status !== 'verified'}>
          {shownName(d)}
          {d.status !== 'verified' ? ' — pending: verify ownership first' : ''}
        </option>
      ))}
    </>
  );
}

export function AddMailboxPage({ initialDomain }: { initialDomain: string | null }) {
  const domains = useDomains();
  const limits = useLoader('limits', (signal) => api.GET('/v1/limits', { signal }));
  const [values, setValues] = useState<Values>({
    name: '',
    mode: 'single',
    localPart: '',
    domain: initialDomain ?? '',
    count: '',
    generate: true,
    password: '',
    quota: DEFAULT_QUOTA_MB,
  });
  const [stage, setStage] = useState<Stage>({ kind: 'form' });
  const [retryAt, setRetryAt] = useState<string | null>(null);

  const cooldownUntil = retryAt ?? limits.data?.cooldowns.bulkMailboxes.retryAt ?? null;
  const wait = useCountdown(cooldownUntil);
  const bulk = values.mode === 'bulk';
  const set = (patch: Partial<Values>) => setValues((current) => ({ ...current, ...patch }));
  const selected = domains.data?.find((d) => d.name === values.domain);
  const pending = domains.data?.filter((d) => d.status !== 'verified') ?? [];

  const common = () => ({
    name: values.name,
    domain: values.domain,
    password: values.generate
      ? ({ generate: true } as const)
      : ({ generate: false, value: values.password } as const),
    quotaMb: values.quota.trim() === '' ? undefined : Number(values.quota),
  });
  const bulkBody = () => ({ mode: 'bulk', ...common(), count: Number(values.count || 0) }) as const;

  const fail = (reason: ApiError) => {
    if (reason.code === 'cooldown_active') setRetryAt(reason.extra('retryAt') ?? null);
  };

  const submit = useMutation(async () => {
    if (bulk) {
      const answer = shapeOf(
        await api.POST('/v1/mailboxes', { body: { ...bulkBody(), dryRun: true } }),
        'preview',
      );
      const cooldown = answer.preview.limits.cooldown;
      if (cooldown.active) setRetryAt(cooldown.retryAt);
      setStage({ kind: 'preview', preview: answer.preview, key: newKey() });
    } else {
      const created = shapeOf(
        await api.POST('/v1/mailboxes', {
          body: { mode: 'single', ...common(), localPart: values.localPart },
        }),
        'mailbox',
      );
      setStage({ kind: 'created', mailbox: created.mailbox, password: created.password });
      domains.reload();
    }
  }, fail);

  const confirm = useMutation(async (key: string) => {
    const answer = shapeOf(
      await api.POST('/v1/mailboxes', {
        params: { header: { 'idempotency-key': key } },
        body: bulkBody(),
      }),
      'job',
    );
    setStage({ kind: 'job', job: answer.job });
    limits.reload();
  }, fail);

  const { busy, error } = submit;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, stage.kind === 'form' ? error : undefined);

  const fieldError = (field: keyof Values): string | undefined => {
    if (!error) return undefined;
    return (
      error.messageFor(API_FIELD[field] ?? field) ??
      (FIELD_OF_CODE[error.code] === field ? error.message : undefined)
    );
  };
  const visibleFields: (keyof Values)[] = [
    'name',
    bulk ? 'count' : 'localPart',
    'domain',
    'password',
    'quota',
  ];
  const unplaced = error && !visibleFields.some((field) => fieldError(field));

  const again = () => {
    set({ name: '', localPart: '', password: '' });
    submit.reset();
    confirm.reset();
    setRetryAt(null);
    setStage({ kind: 'form' });
    limits.reload();
    domains.reload();
  };

  const header = (
    <PageHeader
      title="Add Mailbox"
      subtitle="Use this step to provision individual or bulk mailbox identities with credentials."
    />
  );
  if (stage.kind === 'created')
    return (
      <>
        {header}
        <MailboxCreated mailbox={stage.mailbox} password={stage.password} onAnother={again} />
      </>
    );
  if (stage.kind === 'job')
    return (
      <>
        {header}
        <BulkJobProgress initial={stage.job} onFinished={() => domains.reload()} />
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={again}>
            Create another batch
          </button>
          <Link to={paths.mailboxes} className="button button-secondary">
            View mailboxes
          </Link>
        </div>
      </>
    );
  if (stage.kind === 'preview')
    return (
      <>
        {header}
        <BulkPreviewPanel
          preview={stage.preview}
          busy={confirm.busy}
          error={confirm.error}
          wait={wait}
          onConfirm={() => confirm.run(stage.key)}
          onBack={() => {
            confirm.reset();
            setStage({ kind: 'form' });
          }}
        />
      </>
    );

  const maxBulk = limits.data?.limits.maxBulkCount;
  const blocked = bulk && wait > 0;
  return (
    <>
      {header}
      <form
        ref={form}
        className="panel form"
        onSubmit={(event) => {
          event.preventDefault();
          submit.run();
        }}
        noValidate
      >
        {unplaced && error && <Alert tone="error">{error.message}</Alert>}
        <Field
          label="Name"
          description="Enter a clear/realistic name (like Josh Smith, not Admin or User) for internal recognition and support."
          error={fieldError('name')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              required
              value={values.name}
              onChange={(event) => set({ name: event.target.value })}
            />
          )}
        </Field>

        <fieldset className="field">
          <legend className="field-label">Add mailboxes</legend>
          <div className="choices">
            {(
              [
                ['single', 'Single', 'Create one mailbox'],
                ['bulk', 'Bulk', 'Create multiple mailboxes in one request'],
              ] as const
            ).map(([mode, label, description]) => (
              <label key={mode} className="choice">
                <input
                  type="radio"
                  name="mode"
                  value={mode}
                  checked={values.mode === mode}
                  onChange={() => {
                    set({ mode });
                    submit.reset();
                  }}
                />
                <span>
                  <span className="choice-label">{label}</span>
                  <span className="choice-description">{description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        {!bulk && (
          <Field
            label="Email local part"
            description={
              selected
                ? `The part before @: the address becomes ${values.localPart.trim().toLowerCase() || 'john'}@${selected.unicodeName}.`
                : 'The part before @ (for example, John).'
            }
            error={fieldError('localPart')}
            aside={<span className="suffix">@{selected?.unicodeName ?? 'domain'}</span>}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                required
                value={values.localPart}
                onChange={(event) => set({ localPart: event.target.value })}
              />
            )}
          </Field>
        )}

        <Field
          label="Domain"
          description={
            <>
              Select the verified domain or sub-domain for mailbox creation.
              {pending.length > 0 && (
                <>
                  {' '}
                  Pending domains are listed but cannot be chosen until their ownership is verified
                  on their domain page.
                </>
              )}
            </>
          }
          error={fieldError('domain')}
        >
          {(control) => (
            <select
              {...control}
              required
              value={values.domain}
              onChange={(event) => set({ domain: event.target.value })}
            >
              <option value="" disabled>
                {domains.loading && !domains.data ? 'Loading domains…' : 'Choose a domain'}
              </option>
              {domains.data && <DomainOptions domains={domains.data} />}
            </select>
          )}
        </Field>

        {bulk && (
          <Field
            label="Number of mailboxes"
            description="Number of mailboxes to generate. The addresses are made from the name."
            error={fieldError('count')}
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
        )}

        <div className="field">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={values.generate}
              onChange={(event) => set({ generate: event.target.checked })}
            />
            Generate random password automatically
          </label>
          <p className="field-description">
            {bulk
              ? 'Each mailbox gets its own password, in a CSV you can download once.'
              : 'Shown once after the mailbox is created.'}{' '}
            Prefer random password generation for better security posture.
          </p>
        </div>

        {!values.generate && (
          <Field
            label="Password"
            description={`If random generation is disabled, password entry is required.${
              bulk ? ' Every mailbox of the batch gets this password.' : ''
            }`}
            error={fieldError('password')}
            after={
              <PasswordStrengthMeter
                password={values.password}
                identity={[values.name, values.localPart]}
              />
            }
          >
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="new-password"
                required
                aria-required="true"
                value={values.password}
                onChange={(event) => set({ password: event.target.value })}
              />
            )}
          </Field>
        )}

        <Field
          label="Quota (MB)"
          description="Storage for each mailbox, from 10 to 102,400 MB. Default: 1,024 MB (1 GB)."
          error={fieldError('quota')}
        >
          {(control) => (
            <QuotaInput
              control={control}
              value={values.quota}
              onChange={(quota) => set({ quota })}
            />
          )}
        </Field>

        {bulk && (
          <>
            <Notice kind="note">In bulk mode, platform limits and cooldown rules apply.</Notice>
            <Notice kind="warning">
              Large bulk values can cause accidental over-provisioning if not reviewed.
            </Notice>
          </>
        )}
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
            disabled={busy || blocked}
            aria-describedby={blocked ? 'cooldown-note' : undefined}
          >
            {blocked
              ? `Available in ${formatDuration(wait)}`
              : busy
                ? bulk
                  ? 'Preparing preview…'
                  : 'Creating…'
                : bulk
                  ? 'Preview addresses'
                  : 'Create mailbox'}
          </button>
          <Link to={paths.mailboxes} className="button button-secondary">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
