import { api } from '../api/client';
import type { Certificate, Domain } from '../api/types';
import { formatDateTime, plural } from '../format';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import { mtaStsHost, RENEW_DAYS_BEFORE_EXPIRY } from '../server-rules';
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

/**
 * The certificates this host holds for a verified root domain: the mail host's (which its MX
 * names) and its MTA-STS host's, which the user obtains here; renewal is automatic.
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
  const items = certificates.data?.items ?? [];
  const shown = items.filter((c) => c.name === mtaSts || !c.name.startsWith(mtaStsHost('')));
  const has = items.some((c) => c.name === mtaSts);

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
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={issue.busy}
          onClick={() => issue.run()}
        >
          <Icon name="refresh" />
          {issue.busy
            ? 'Obtaining…'
            : has
              ? `Renew ${mtaSts} now`
              : `Obtain a certificate for ${mtaSts}`}
        </button>
        <span className="muted">
          Certificates are renewed {RENEW_DAYS_BEFORE_EXPIRY} days before they expire.
        </span>
      </div>
    </section>
  );
}
