import type { Domain } from '../../api/types';
import { Field } from '../../components/Field';
import { inTreeOrder, shownName } from '../../domains';
import type { Resource } from '../../hooks/useLoader';
import { MAX_SPREAD_DOMAINS, MAX_SPREAD_PERSONAS, splitLines } from '../../server-rules';
import type { MailboxFieldProps } from './MailboxFields';
import { fieldError } from './mailbox-values';

/** Spread mode's own fields, in place of Name and Domain: who, where, and how many each. */
export function SpreadFields({
  values,
  set,
  error,
  domains,
}: MailboxFieldProps & { domains: Resource<Domain[]> }) {
  const personas = splitLines(values.personas).length;
  const verified = inTreeOrder(domains.data ?? []).filter((d) => d.status === 'verified');
  return (
    <>
      <Field
        label="Personas"
        description={`One real name a line (like Josh Smith), at most ${MAX_SPREAD_PERSONAS}. Each gets one address per domain, made from the name.`}
        error={fieldError(error, 'personas')}
      >
        {(control) => (
          <textarea
            {...control}
            rows={4}
            required
            value={values.personas}
            onChange={(event) => set({ personas: event.target.value })}
          />
        )}
      </Field>
      <Field
        label="Domains"
        description={`The verified domains or sub-domains to spread over, at most ${MAX_SPREAD_DOMAINS} (Ctrl or ⌘ to pick several).`}
        error={fieldError(error, 'domains')}
      >
        {(control) => (
          <select
            {...control}
            multiple
            required
            size={Math.min(8, Math.max(3, verified.length))}
            value={values.domains}
            onChange={(event) =>
              set({ domains: Array.from(event.target.selectedOptions, (o) => o.value) })
            }
          >
            {verified.map((d) => (
              <option key={d.id} value={d.name}>
                {shownName(d)} ({d.mailboxCount} / {d.mailboxLimit} used)
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Mailboxes per domain"
        description="Personas are taken in order, wrapping round, so each is used as evenly as possible."
        error={fieldError(error, 'perDomain')}
      >
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            min={1}
            max={Math.max(1, personas)}
            required
            className="input-short"
            value={values.perDomain}
            onChange={(event) => set({ perDomain: event.target.value })}
          />
        )}
      </Field>
    </>
  );
}
