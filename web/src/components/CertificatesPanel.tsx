import { api } from '../api/client';
import type { Certificate, Domain } from '../api/types';
import { formatDateTime, plural } from '../format';
import { useLoader } from '../hooks/useLoader';
import { useMutation, type Mutation } from '../hooks/useMutation';
import { useState } from 'react';
import { mtaStsHost, RENEW_DAYS_BEFORE_EXPIRY, webHosts } from '../server-rules';
import { Alert } from './Alert';
import { Icon } from './Icon';

function Expiry({ certificate }: { certificate: Certificate }) {
  return (
    <span className="muted">
      valid until {formatDateTime(certificate.notAfter)} ({plural(certificate.daysLeft, 'day')} left
      {certificate.renewalDue ? ', renewal due' : ''})
    </span>
  );
}

/** A request to the CA: disabled while it runs, labelled by what it obtains. */
function ObtainButton({ mutation, label }: { mutation: Mutation; label: string }) {
  return (
    <button
      type="button"
      className="button button-secondary"
      disabled={mutation.busy}
      onClick={() => mutation.run()}
    >
      <Icon name="refresh" />
      {label}
    </button>
  );
}

/**
 * The certificates this host holds for a verified root domain: the mail host's (which its MX
 * names), its MTA-STS host's and, with a web redirect, those of the domain and its `www.`
 * (the hosts the redirect answers), which the user obtains here; renewal is automatic.
 */
export function CertificatesPanel({ domain }: { domain: Domain }) {
  const certificates = useLoader('certificates', (signal) =>
    api.GET('/v1/certificates', { signal }),
  );
  const mtaSts = mtaStsHost(domain.name);
  const issue = useMutation(async () => {
    await api.POST('/v1/domains/{name}/mta-sts-certificate', {
      params: { path: { name: domain.name } },
    });
    certificates.reload();
  });
  const web = webHosts(domain.name);
  // The CA's reasons for names it did not issue (the other one still is).
  const [webFailed, setWebFailed] = useState<{ name: string; message: string }[]>([]);
  const issueWeb = useMutation(async () => {
    setWebFailed([]);
    const { failed } = await api.POST('/v1/domains/{name}/web-certificates', {
      params: { path: { name: domain.name } },
    });
    setWebFailed(failed);
    certificates.reload();
  });
  const items = certificates.data?.items ?? [];
  // The mail host's, and this domain's; other domains' are on their own pages.
  const shown = items.filter(
    (c) => c.kind === 'mail_host' || c.name === mtaSts || web.includes(c.name),
  );
  const has = items.some((c) => c.name === mtaSts);
  const hasWeb = web.every((name) => items.some((c) => c.name === name));

  return (
    <section className="panel" aria-labelledby="certificates-heading">
      <h2 id="certificates-heading">Certificates</h2>
      {certificates.error && <Alert tone="error">{certificates.error.message}</Alert>}
      {shown.length === 0 ? (
        <p className="muted">No certificate obtained yet.</p>
      ) : (
        <ul className="plain-list">
          {shown.map((c) => (
            <li key={c.name}>
              <code>{c.name}</code> <Expiry certificate={c} />
            </li>
          ))}
        </ul>
      )}
      {issue.error && <Alert tone="error">{issue.error.message}</Alert>}
      {issueWeb.error && <Alert tone="error">{issueWeb.error.message}</Alert>}
      {webFailed.map((f) => (
        <Alert key={f.name} tone="error">
          No certificate for {f.name}: {f.message}
        </Alert>
      ))}
      <div className="form-actions">
        <ObtainButton
          mutation={issue}
          label={
            issue.busy
              ? 'Obtaining…'
              : has
                ? `Renew ${mtaSts} now`
                : `Obtain a certificate for ${mtaSts}`
          }
        />
        {domain.redirectTo !== null && (
          <ObtainButton
            mutation={issueWeb}
            label={
              issueWeb.busy
                ? 'Getting certificates…'
                : hasWeb
                  ? `Renew ${web.join(' and ')} now`
                  : `Get certificates for ${web.join(' and ')}`
            }
          />
        )}
        <span className="muted">
          Certificates are renewed {RENEW_DAYS_BEFORE_EXPIRY} days before they expire.
        </span>
      </div>
    </section>
  );
}
