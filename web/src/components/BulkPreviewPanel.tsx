import { Fragment, useEffect, useRef } from 'react';
import type { Answer, ApiError } from '../api/client';
import { formatDuration, formatMegabytes, formatNumber, plural } from '../format';
import { Alert } from './Alert';
import { Notice } from './Notice';

/** A dry run's answer (bulk or spread): the addresses a batch would get and where the limits would stand. */
type AnyPreview = Extract<Answer<'post', '/v1/mailboxes'>, { preview: unknown }>['preview'];

/** Both previews as the spread's: addresses and limits per hostname, then the account's. */
export type BulkPreview = Extract<AnyPreview, { domains: unknown }>;

export const asHostnames = (preview: AnyPreview): BulkPreview =>
  'domains' in preview
    ? preview
    : {
        addresses: preview.addresses,
        domains: [
          {
            domain: preview.limits.mailboxesPerDomain.domain,
            addresses: preview.addresses,
            mailboxesPerDomain: preview.limits.mailboxesPerDomain,
            domainQuotaMb: preview.limits.domainQuotaMb,
          },
        ],
        limits: preview.limits,
      };

interface BulkPreviewPanelProps {
  preview: BulkPreview;
  busy: boolean;
  error: ApiError | undefined;
  /** Seconds of cooldown left; the batch cannot be submitted before. */
  wait: number;
  onConfirm: () => void;
  onBack: () => void;
}

const change = (from: number, to: number, max: number, format = formatNumber) =>
  `${format(from)} → ${format(to)} of ${format(max)}`;

/** The dry run's exact addresses and where the limits would stand: the confirmation step. */
export function BulkPreviewPanel(props: BulkPreviewPanelProps) {
  const { addresses, domains, limits } = props.preview;
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  const several = domains.length > 1;
  return (
    <section className="panel" aria-labelledby="preview-heading">
      <h2 id="preview-heading" ref={heading} tabIndex={-1}>
        Review {plural(addresses.length, 'address', 'addresses')}
      </h2>
      <p>
        These are exactly the mailboxes that will be created on{' '}
        {several ? plural(domains.length, 'domain', 'domains') : domains[0]?.domain}. Nothing has
        been created yet.
      </p>
      {domains.map((d) => (
        <div key={d.domain}>
          {several && <h3>{d.domain}</h3>}
          <ol
            className="address-list"
            aria-label={several ? `Addresses to create on ${d.domain}` : 'Addresses to create'}
          >
            {d.addresses.map((address) => (
              <li key={address}>
                <code>{address}</code>
              </li>
            ))}
          </ol>
        </div>
      ))}
      <h3>Limits after this batch</h3>
      <dl className="limits">
        {domains.map((d) => (
          <Fragment key={d.domain}>
            <div>
              <dt>Mailboxes on {d.domain}</dt>
              <dd>
                {change(
                  d.mailboxesPerDomain.usage,
                  d.mailboxesPerDomain.after,
                  d.mailboxesPerDomain.max,
                )}
              </dd>
            </div>
            <div>
              <dt>Storage pool of {d.domain}</dt>
              <dd>
                {change(
                  d.domainQuotaMb.usage,
                  d.domainQuotaMb.after,
                  d.domainQuotaMb.max,
                  formatMegabytes,
                )}
              </dd>
            </div>
          </Fragment>
        ))}
        <div>
          <dt>Mailboxes created this hour</dt>
          <dd>
            {change(
              limits.mailboxesPerHour.usage,
              limits.mailboxesPerHour.after,
              limits.mailboxesPerHour.max,
            )}
          </dd>
        </div>
        <div>
          <dt>Cooldown</dt>
          <dd>
            {limits.cooldown.active
              ? 'Running now'
              : limits.cooldown.startsAfterThis
                ? `This batch starts a cooldown of ${formatDuration(limits.cooldown.seconds)} before the next bulk request`
                : 'None'}
          </dd>
        </div>
      </dl>
      <Notice kind="warning">
        Large bulk values can cause accidental over-provisioning if not reviewed.
      </Notice>
      {props.error && <Alert tone="error">{props.error.message}</Alert>}
      <div className="form-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={props.busy || props.wait > 0}
          onClick={props.onConfirm}
        >
          {props.wait > 0
            ? `Available in ${formatDuration(props.wait)}`
            : props.busy
              ? 'Submitting…'
              : `Create ${plural(addresses.length, 'mailbox', 'mailboxes')}`}
        </button>
        <button type="button" className="button button-secondary" onClick={props.onBack}>
          Back to the form
        </button>
      </div>
    </section>
  );
}
