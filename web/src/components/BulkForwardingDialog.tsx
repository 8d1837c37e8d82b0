import { useRef, useState } from 'react';
import { api, type Answer } from '../api/client';
import type { Domain, Job } from '../api/types';
import { plural } from '../format';
import { useFocusInvalid } from '../hooks/useFocusInvalid';
import { useMutation } from '../hooks/useMutation';
import { splitLines } from '../server-rules';
import { Alert } from './Alert';
import { Field } from './Field';
import { MailboxChangePreview } from './MailboxChangePreview';
import { MailboxJobProgress } from './MailboxJobProgress';
import {
  MailboxScopeFields,
  mailboxScopeOf,
  scopeRequest,
  type MailboxScope,
} from './MailboxScopeFields';
import { Modal } from './Modal';
import { TargetLines } from './TargetLines';

type PreviewRow = Extract<
  Answer<'post', '/v1/mailboxes/bulk-forwarding'>,
  { preview: unknown }
>['preview']['mailboxes'][number];

const summary = (f: PreviewRow['before']) =>
  f ? `→ ${f.to.join(', ')}${f.keepCopy ? ', keeping a copy' : ' only'}` : 'keeps its mail';

/**
 * Forwards many mailboxes to the same addresses (or stops their forwarding): every mailbox of
 * a domain or the listed addresses. A preview shows each mailbox's forwarding now and after,
 * or why it is refused (one of the targets itself, a loop); applying runs a job, one result
 * per mailbox, shown here as it goes.
 */
export function BulkForwardingDialog({
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
  const [text, setText] = useState('');
  const [keepCopy, setKeepCopy] = useState(true);
  const [stop, setStop] = useState(false);
  const [rows, setRows] = useState<PreviewRow[]>();
  const [job, setJob] = useState<Job>();
  const lines = splitLines(text);
  const body = () => ({
    ...scopeRequest(scope, true),
    forwarding: stop ? null : { to: lines, keepCopy },
  });
  const preview = useMutation(async () => {
    const answer = await api.POST('/v1/mailboxes/bulk-forwarding', {
      body: { ...body(), dryRun: true },
    });
    if ('preview' in answer) setRows(answer.preview.mailboxes);
  });
  const apply = useMutation(async () => {
    const answer = await api.POST('/v1/mailboxes/bulk-forwarding', { body: body() });
    if ('job' in answer) setJob(answer.job);
  });
  const error = preview.error ?? apply.error;
  const form = useRef<HTMLFormElement>(null);
  useFocusInvalid(form, error);
  const scopeError = (name: 'domain' | 'addresses') =>
    error?.messageFor(name === 'domain' ? 'domains' : name);
  const targetsError = error?.messageFor('forwarding.to');
  const anyField = Boolean(targetsError ?? scopeError('domain') ?? scopeError('addresses'));
  const changed = () => setRows(undefined);

  if (job) {
    return (
      <MailboxJobProgress
        title="Forward mailboxes"
        accepted={job}
        doneText={(done) => `Forwarding set on ${plural(done, 'mailbox', 'mailboxes')}.`}
        onDone={onDone}
        onClose={onClose}
      />
    );
  }

  return (
    <Modal title="Forward mailboxes" onClose={onClose}>
      <form ref={form} onSubmit={rows ? apply.submit : preview.submit} noValidate>
        {error && !anyField && <Alert tone="error">{error.message}</Alert>}
        <MailboxScopeFields
          domains={domains}
          scope={scope}
          onChange={(next) => {
            setScope(next);
            changed();
          }}
          errorFor={scopeError}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={stop}
            onChange={(event) => {
              setStop(event.target.checked);
              changed();
            }}
          />{' '}
          Stop their forwarding
        </label>
        {!stop && (
          <>
            <Field
              label="Forward to"
              description="One address per line: mailboxes or aliases of this account, or addresses anywhere else."
              error={targetsError}
              after={error && <TargetLines lines={lines} field="forwarding.to" error={error} />}
            >
              {(control) => (
                <textarea
                  {...control}
                  rows={3}
                  required
                  spellCheck={false}
                  autoCapitalize="none"
                  placeholder="replies@example.com"
                  value={text}
                  onChange={(event) => {
                    setText(event.target.value);
                    changed();
                  }}
                />
              )}
            </Field>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={keepCopy}
                onChange={(event) => {
                  setKeepCopy(event.target.checked);
                  changed();
                }}
              />{' '}
              Keep a copy in each mailbox
            </label>
          </>
        )}
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
