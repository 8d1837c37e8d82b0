import { useRef, useState, type FormEvent } from 'react';
import { api, type Answer } from '../api/client';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { FormActions } from '../components/FormActions';
import { LineResults, type LineOutcome } from '../components/LineResults';
import { Link } from '../components/Link';
import { Notice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { shownName } from '../domains';
import { useDomains } from '../hooks/useDomains';
import { useMutation } from '../hooks/useMutation';
import { paths } from '../routes';
import { splitLabels } from '../server-rules';

type AddSubdomainsAnswer = Answer<'post', '/v1/domains/{name}/subdomains'>;

/** One answer per typed line, in the order typed (a repeated label: created once, then refused). */
function outcomes(labels: string[], root: string, answer: AddSubdomainsAnswer): LineOutcome[] {
  const created = new Map(answer.created.map((d) => [d.name, d]));
  const rejected = [...answer.rejected];
  return labels.map((label) => {
    const domain = created.get(`${label}.${root}`);
    if (domain) {
      created.delete(domain.name);
      return { line: label, created: domain };
    }
    const index = rejected.findIndex((r) => r.label === label);
    const [refusal] = index === -1 ? [] : rejected.splice(index, 1);
    return { line: label, reason: refusal?.message ?? 'Not created.' };
  });
}

export function AddSubdomainPage({ parent }: { parent: string | null }) {
  const domains = useDomains();
  const roots = domains.data?.filter((d) => d.kind === 'root') ?? [];
  const [root, setRoot] = useState(parent ?? '');
  const [text, setText] = useState('');
  const [results, setResults] = useState<LineOutcome[]>();
  const [rootMissing, setRootMissing] = useState(false);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const select = useRef<HTMLSelectElement>(null);

  const labels = splitLabels(text);
  const rootName = roots.find((d) => d.name === root)?.unicodeName;

  const add = useMutation(async () => {
    const answer = await api.POST('/v1/domains/{name}/subdomains', {
      params: { path: { name: root } },
      body: { labels: text },
    });
    const list = outcomes(labels, root, answer);
    setResults(list);
    // The refused labels stay in the box, ready to be corrected.
    setText(
      list
        .filter((o) => !o.created)
        .map((o) => `${o.line}\n`)
        .join(''),
    );
    window.setTimeout(() => resultsHeading.current?.focus());
  });
  const { busy, error } = add;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setRootMissing(!root);
    if (!root) {
      select.current?.focus();
      return;
    }
    add.run();
  };

  return (
    <>
      <PageHeader
        title="Add Sub-domain"
        subtitle="Use sub-domains to isolate workloads (for example, support vs marketing), reduce reputation concentration risk, and improve organization."
      />
      {results && (
        <LineResults
          outcomes={results}
          verb="created"
          headingRef={resultsHeading}
          createdNote={() => <span className="muted">created</span>}
          next={
            <p>
              <Link to={paths.addMailbox()}>Add Mailbox</Link> on a new sub-domain, or{' '}
              <Link to={paths.domains}>go to Domains</Link>.
            </p>
          }
        />
      )}
      <form className="panel form" onSubmit={submit} noValidate>
        {error && !error.messageFor('labels') && <Alert tone="error">{error.message}</Alert>}
        <Field
          label="Select a domain"
          description="Choose the parent domain that owns the sub-domains."
          error={rootMissing ? 'Select the domain the sub-domains belong to.' : undefined}
        >
          {(control) => (
            <select
              {...control}
              ref={select}
              required
              value={root}
              onChange={(event) => {
                setRoot(event.target.value);
                setRootMissing(false);
              }}
            >
              <option value="" disabled>
                {domains.loading ? 'Loading domains…' : 'Choose a domain'}
              </option>
              {roots.map((d) => (
                <option key={d.id} value={d.name}>
                  {shownName(d)}
                  {d.status === 'pending' ? ' (pending)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Sub-domain labels"
          description="Enter one label per line (for example, sales, support). The system appends each label to the selected domain and creates each hostname separately."
          error={error?.messageFor('labels')}
          after={
            <div className="preview">
              <p className="preview-title">Hostnames to create</p>
              {labels.length === 0 ? (
                <p className="muted">Type a label to see its hostname.</p>
              ) : !rootName ? (
                <p className="muted">Select a domain to see the hostnames.</p>
              ) : (
                <ul className="hostnames">
                  {labels.map((label, index) => (
                    <li key={`${label}-${index}`}>
                      <code>
                        {label}.{rootName}
                      </code>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          }
        >
          {(control) => (
            <textarea
              {...control}
              rows={5}
              required
              spellCheck={false}
              autoCapitalize="none"
              placeholder={'sales\nsupport'}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <Notice kind="note">
          Skip this step if you only need mailboxes on the main/root domain.
        </Notice>
        <Notice kind="tip">
          Use sub-domains to separate campaign traffic from operational mail.
        </Notice>
        <FormActions
          label="Add sub-domains"
          busyLabel="Adding…"
          busy={busy}
          cancelTo={paths.domains}
        />
      </form>
    </>
  );
}
