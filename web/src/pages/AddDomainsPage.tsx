import { useRef, useState } from 'react';
import { api, type Answer } from '../api/client';
import { Alert } from '../components/Alert';
import { Field } from '../components/Field';
import { FormActions } from '../components/FormActions';
import { LineResults, type LineOutcome } from '../components/LineResults';
import { Link } from '../components/Link';
import { Notice } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useMutation } from '../hooks/useMutation';
import { paths } from '../routes';
import { MAX_DOMAIN_NAMES, splitLines } from '../server-rules';

type AddDomainsAnswer = Answer<'post', '/v1/domains/batch'>;

/**
 * One answer per typed line, in the order typed. Both lists of the answer keep that order, and
 * a line typed twice is refused on its later occurrence, so a line's refusals are its last ones.
 */
function outcomes(lines: string[], answer: AddDomainsAnswer): LineOutcome[] {
  const refusals = new Map<string, string[]>();
  for (const r of answer.rejected)
    refusals.set(r.name, [...(refusals.get(r.name) ?? []), r.message]);
  const left = new Map<string, number>();
  for (const line of lines) left.set(line, (left.get(line) ?? 0) + 1);
  let next = 0;
  return lines.map((line) => {
    const remaining = left.get(line)!;
    left.set(line, remaining - 1);
    const reasons = refusals.get(line) ?? [];
    if (remaining <= reasons.length) return { line, reason: reasons[reasons.length - remaining] };
    const created = answer.created[next++];
    return created ? { line, created } : { line, reason: 'Not added.' };
  });
}

/** What can be said of a line before asking the API: only that it repeats an earlier one. */
function livePreview(lines: string[]): { line: string; repeat: boolean }[] {
  const seen = new Set<string>();
  return lines.map((line) => {
    const key = line.toLowerCase();
    const repeat = seen.has(key);
    seen.add(key);
    return { line, repeat };
  });
}

export function AddDomainsPage() {
  const [text, setText] = useState('');
  const [results, setResults] = useState<LineOutcome[]>();
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const lines = splitLines(text);

  const add = useMutation(async () => {
    const answer = await api.POST('/v1/domains/batch', { body: { names: text } });
    const list = outcomes(lines, answer);
    setResults(list);
    // The refused names stay in the box, ready to be corrected.
    setText(
      list
        .filter((o) => !o.created)
        .map((o) => `${o.line}\n`)
        .join(''),
    );
    window.setTimeout(() => resultsHeading.current?.focus());
  });
  const { busy, error } = add;

  return (
    <>
      <PageHeader
        title="Add Domains"
        subtitle="Add every root domain of a fleet at once; each line gets its own answer."
      />
      {results && (
        <LineResults
          outcomes={results}
          verb="added"
          headingRef={resultsHeading}
          createdNote={(domain) => (
            <>
              <span className="muted">added: publish TXT</span>{' '}
              <code>{domain.verification.host}</code>
            </>
          )}
          next={
            <p>
              Publish each TXT record at your DNS host, then verify the domains from{' '}
              <Link to={paths.domains}>Domains</Link>.
            </p>
          }
        />
      )}
      <form className="panel form" onSubmit={add.submit} noValidate>
        {error && !error.messageFor('names') && <Alert tone="error">{error.message}</Alert>}
        <Notice kind="note">
          Enter hostnames only (for example, example.com). Do not include http://, https://, or www.
        </Notice>
        <Field
          label="Domain names"
          description={`Enter one root hostname per line, up to ${MAX_DOMAIN_NAMES} at a time. Each is added on its own, so one refused line never holds up the others.`}
          error={error?.messageFor('names')}
          after={
            <div className="preview">
              <p className="preview-title">
                {lines.length} domain{lines.length === 1 ? '' : 's'} to add
                {lines.length > MAX_DOMAIN_NAMES ? ` — at most ${MAX_DOMAIN_NAMES} at a time` : ''}
              </p>
              {lines.length === 0 ? (
                <p className="muted">Type or paste domains, one per line.</p>
              ) : (
                <ul className="hostnames">
                  {livePreview(lines).map(({ line, repeat }, index) => (
                    <li key={`${line}-${index}`}>
                      <code>{line}</code>
                      {repeat && <span className="muted"> listed twice: added once</span>}
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
              rows={8}
              required
              spellCheck={false}
              autoCapitalize="none"
              placeholder={'example.com\nexample.net'}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <FormActions label="Add Domains" busyLabel="Adding…" busy={busy} cancelTo={paths.domains} />
      </form>
    </>
  );
}
