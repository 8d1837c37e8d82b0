import { useEffect, useRef } from 'react';
import type { Job } from '../api/types';
import { jobFinished, useFollowedJob } from '../hooks/useFollowedJob';
import { Alert } from './Alert';
import { Icon } from './Icon';
import { ProgressBar } from './ProgressBar';

/** A bulk verify or publish job as it runs: progress, then a line per domain. */
export function DomainJobPanel({
  accepted,
  onFinished,
}: {
  accepted: { job: Job; domains: string[] };
  onFinished: () => void;
}) {
  const { job, error } = useFollowedJob(accepted.job, onFinished);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const verb = job.kind === 'verify_domains' ? 'verified' : 'published';
  const failed = new Map(job.errors.map((e) => [e.address, e]));
  const done = jobFinished(job);
  return (
    <section className="panel" aria-labelledby="domain-job-heading">
      <h2 id="domain-job-heading" ref={heading} tabIndex={-1}>
        {done
          ? `${job.done} of ${job.total} ${verb}`
          : job.kind === 'verify_domains'
            ? 'Verifying domains…'
            : 'Publishing DNS records…'}
      </h2>
      <ProgressBar
        label={`Domains ${verb}`}
        value={job.done + job.failed}
        max={job.total}
        valueText={`${job.done} of ${job.total} ${verb}${job.failed ? `, ${job.failed} failed` : ''}`}
        tone={job.failed > 0 ? 'danger' : 'neutral'}
      />
      {error && <Alert tone="error">{error.message} Still trying…</Alert>}
      {done && (
        <ul className="results" aria-label="Result per domain">
          {accepted.domains.map((name) => {
            const problem = failed.get(name);
            return (
              <li key={name} className={problem ? 'result result-rejected' : 'result result-ok'}>
                <span className="result-mark" aria-hidden="true">
                  <Icon name={problem ? 'cross' : 'check'} />
                </span>
                <span>
                  <code>{name}</code> {problem ? problem.message : verb}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
