import type { ApiError } from '../../api/client';
import type { Domain } from '../../api/types';
import { Field } from '../../components/Field';
import { PasswordStrengthMeter } from '../../components/PasswordStrengthMeter';
import { SendingFields } from '../../components/SendingFields';
import { QUOTA_RANGE, QuotaInput } from '../../components/QuotaInput';
import { inTreeOrder, shownName } from '../../domains';
import { formatMegabytes, formatNumber } from '../../format';
import type { Resource } from '../../hooks/useLoader';
import { DEFAULT_QUOTA_MB } from '../../server-rules';
import { fieldError, type MailboxValues } from './mailbox-values';

/** The fields both modes of the Add Mailbox form ask for, in the guide's words. */

export interface MailboxFieldProps {
  values: MailboxValues;
  set: (patch: Partial<MailboxValues>) => void;
  /** The API's refusal of the last submit, shown at the field it is about. */
  error: ApiError | undefined;
}

export function NameField({ values, set, error }: MailboxFieldProps) {
  return (
    <Field
      label="Name"
      description="Enter a clear/realistic name (like Josh Smith, not Admin or User) for internal recognition and support."
      error={fieldError(error, 'name')}
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
  );
}

const MODES = [
  ['single', 'Single', 'Create one mailbox'],
  ['bulk', 'Bulk', 'Create multiple mailboxes in one request'],
  ['spread', 'Spread', 'Give several personas a mailbox on each of several domains'],
] as const;

export function ModeChoice({
  mode,
  onChange,
}: {
  mode: MailboxValues['mode'];
  onChange: (mode: MailboxValues['mode']) => void;
}) {
  return (
    <fieldset className="field">
      <legend className="field-label">Add mailboxes</legend>
      <div className="choices">
        {MODES.map(([choice, label, description]) => (
          <label key={choice} className="choice">
            <input
              type="radio"
              name="mode"
              value={choice}
              checked={mode === choice}
              onChange={() => onChange(choice)}
            />
            <span>
              <span className="choice-label">{label}</span>
              <span className="choice-description">{description}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
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

export function DomainField({
  values,
  set,
  error,
  domains,
}: MailboxFieldProps & { domains: Resource<Domain[]> }) {
  const pending = domains.data?.filter((d) => d.status !== 'verified') ?? [];
  return (
    <Field
      label="Domain"
      description={
        <>
          Select the verified domain or sub-domain for mailbox creation.
          {pending.length > 0 && (
            <>
              {' '}
              Pending domains are listed but cannot be chosen until their ownership is verified on
              their domain page.
            </>
          )}
        </>
      }
      error={fieldError(error, 'domain')}
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
  );
}

interface PasswordFieldsProps extends MailboxFieldProps {
  /** Where a generated password goes in this mode. */
  generatedNote: string;
  /** What an entered password applies to in this mode, if more than said already. */
  enteredNote?: string;
}

/** Generate a password, or enter one (with a strength meter). */
export function PasswordFields({
  values,
  set,
  error,
  generatedNote,
  enteredNote,
}: PasswordFieldsProps) {
  return (
    <>
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
          {generatedNote} Prefer random password generation for better security posture.
        </p>
      </div>

      {!values.generate && (
        <Field
          label="Password"
          description={`If random generation is disabled, password entry is required.${
            enteredNote ? ` ${enteredNote}` : ''
          }`}
          error={fieldError(error, 'password')}
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
    </>
  );
}

export function QuotaField({ values, set, error }: MailboxFieldProps) {
  return (
    <Field
      label="Quota (MB)"
      description={`Storage for each mailbox, ${QUOTA_RANGE}. Default: ${formatNumber(DEFAULT_QUOTA_MB)} MB (${formatMegabytes(DEFAULT_QUOTA_MB)}).`}
      error={fieldError(error, 'quota')}
    >
      {(control) => (
        <QuotaInput control={control} value={values.quota} onChange={(quota) => set({ quota })} />
      )}
    </Field>
  );
}

/**
 * Every new mailbox's sending limits, filled with the account's defaults (what a mailbox gets
 * when nothing is changed here); hidden until they have loaded.
 */
export function SendingSection({ values, set, error }: MailboxFieldProps) {
  const sending = values.sending;
  if (!sending) return null;
  return (
    <fieldset className="field">
      <legend className="field-label">Sending limits</legend>
      <p className="muted">
        Enforced by the mail server at submission. Filled with your account&apos;s defaults for new
        mailboxes; change them for these mailboxes only.
      </p>
      <SendingFields
        values={sending}
        onChange={(patch) => set({ sending: { ...sending, ...patch } })}
        errorFor={(field) => error?.messageFor(`sending.${field}`)}
      />
    </fieldset>
  );
}
