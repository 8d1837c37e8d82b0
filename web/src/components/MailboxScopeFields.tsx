import type { Domain } from '../api/types';
import { inTreeOrder, shownName } from '../domains';
import { splitLines } from '../server-rules';
import { Field } from './Field';

/** Which mailboxes a bulk change is for: every one of a domain, or the listed addresses. */
export interface MailboxScope {
  byDomain: boolean;
  domain: string;
  addresses: string;
}

export const mailboxScopeOf = (domains: Domain[], initialDomain: string): MailboxScope => ({
  byDomain: true,
  domain: initialDomain || (domains[0]?.name ?? ''),
  addresses: '',
});

/** The request's selection: `domain` (or, with `domainsList`, `domains`) or `addresses`. */
export function scopeRequest(
  scope: MailboxScope,
  domainsList: true,
): { domains: string[] } | { addresses: string[] };
export function scopeRequest(
  scope: MailboxScope,
  domainsList?: false,
): { domain: string } | { addresses: string[] };
export function scopeRequest(scope: MailboxScope, domainsList = false) {
  if (!scope.byDomain) return { addresses: splitLines(scope.addresses) };
  return domainsList ? { domains: [scope.domain] } : { domain: scope.domain };
}

/** The choice between a domain's mailboxes and listed addresses, shared by the bulk dialogs. */
export function MailboxScopeFields({
  domains,
  scope,
  onChange,
  errorFor,
}: {
  domains: Domain[];
  scope: MailboxScope;
  onChange: (scope: MailboxScope) => void;
  errorFor: (field: 'domain' | 'addresses') => string | undefined;
}) {
  const change = (patch: Partial<MailboxScope>) => onChange({ ...scope, ...patch });
  return (
    <>
      <fieldset className="field">
        <legend className="field-label">Mailboxes</legend>
        <label className="choice">
          <input
            type="radio"
            name="scope"
            checked={scope.byDomain}
            onChange={() => change({ byDomain: true })}
          />{' '}
          Every mailbox of a domain
        </label>
        <label className="choice">
          <input
            type="radio"
            name="scope"
            checked={!scope.byDomain}
            onChange={() => change({ byDomain: false })}
          />{' '}
          These addresses
        </label>
      </fieldset>
      {scope.byDomain ? (
        <Field label="Domain" error={errorFor('domain')}>
          {(control) => (
            <select
              {...control}
              value={scope.domain}
              onChange={(event) => change({ domain: event.target.value })}
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
        <Field label="Addresses" description="One address a line." error={errorFor('addresses')}>
          {(control) => (
            <textarea
              {...control}
              rows={4}
              spellCheck={false}
              value={scope.addresses}
              onChange={(event) => change({ addresses: event.target.value })}
            />
          )}
        </Field>
      )}
    </>
  );
}
