import { useRef, useState } from 'react';
import { api, type Answer } from '../api/client';
import type { Domain, Job } from '../api/types';
import { formatNumber, plural } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { MailboxChangePreview } from './MailboxChangePreview';
import { MailboxJobProgress } from './MailboxJobProgress';
import {
  MailboxScopeFields,
  mailboxScopeOf,
  scopeRequest,
  type MailboxScope,
} from './MailboxScopeFields';
import { Modal } from './Modal';
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
  const [scope, setScope] = useState<MailboxScope>(() => mailboxScopeOf(domains, initialDomain));
  const [values, setValues] = useState<SendingValues>(() =>
    sendingValuesOf({ dailyLimit: 30, hourlyLimit: 10, warmup: null }),
  );
  const [rows, setRows] = useState<PreviewRow[]>();
  const [job, setJob] = useState<Job>();
  const body = () => ({ ...scopeRequest(scope), sending: sendingRequest(values) });
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

  if (job) {
    return (
      <MailboxJobProgress
        title="Set sending limits"
        accepted={job}
        doneText={(done) => `Sending limits set on ${plural(done, 'mailbox', 'mailboxes')}.`}
        onDone={onDone}
        onClose={onClose}
      />
    );
  }

  return (
    <Modal title="Set sending limits" onClose={onClose}>
      <form ref={form} onSubmit={rows ? apply.submit : preview.submit} noValidate>
        {error && !anyField && <Alert tone="error">{error.message}</Alert>}
        <MailboxScopeFields
          domains={domains}
          scope={scope}
          onChange={(next) => {
            setScope(next);
            setRows(undefined);
          }}
          errorFor={(name) => error?.messageFor(name)}
        />
        <SendingFields
          values={values}
          onChange={(patch) => {
            setValues((v) => ({ ...v, ...patch }));
            setRows(undefined);
          }}
          errorFor={field}
        />
        <MailboxChangePreview
          rows={rows}
          summary={summary}
          busy={preview.busy || apply.busy}
          onCancel={onClose}
        />
      </form>
    </Modal>
  );
}
