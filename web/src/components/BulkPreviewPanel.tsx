import { useEffect, useRef } from 'react';
import type { Answer, ApiError } from '../api/client';
import { formatDuration, formatMegabytes, formatNumber, plural } from '../format';
import { Alert } from './Alert';
import { Notice } from './Notice';

/** The bulk dry run's answer: the addresses a batch would get and where the limits would stand. */
export type BulkPreview = Extract<
  Answer<'post', '/v1/mailboxes'>,
  { preview: { limits: { mailboxesPerDomain: unknown } } }
>['preview'];

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
  const { addresses, limits } = props.preview;
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  const domain = limits.mailboxesPerDomain.domain;
  return (
    <section className="panel" aria-labelledby="preview-heading">
      <h2 id="preview-heading" ref={heading} tabIndex={-1}>
        Review {plural(addresses.length, 'address', 'addresses')}
      </h2>
      <p>
        These are exactly the mailboxes that will be created on {domain}. Nothing has been created
        yet.
      </p>
      <ol className="address-list" aria-label="Addresses to create">
        {addresses.map((address) => (
          <li key={address}>
            <code>{address}</code>
          </li>
        ))}
      </ol>
      <h3>Limits after this batch</h3>
      <dl className="limits">
        <div>
          <dt>Mailboxes on {domain}</dt>
          <dd>
            {change(
              limits.mailboxesPerDomain.usage,
              limits.mailboxesPerDomain.after,
              limits.mailboxesPerDomain.max,
            )}
          </dd>
        </div>
        <div>
          <dt>Storage pool of {domain}</dt>
          <dd>
            {change(
              limits.domainQuotaMb.usage,
              limits.domainQuotaMb.after,
              limits.domainQuotaMb.max,
              formatMegabytes,
            )}
          </dd>
        </div>
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
