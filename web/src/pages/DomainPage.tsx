import { useState } from 'react';
import { api } from '../api/client';
import type { Domain } from '../api/types';
import { Alert } from '../components/Alert';
import { CertificatesPanel } from '../components/CertificatesPanel';
import { DnsRecordsPanel } from '../components/DnsRecordsPanel';
import { DomainStatusBadge } from '../components/DomainStatusBadge';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { MailboxSlots } from '../components/UsageMeter';
import { RelaySettingsPanel } from '../components/RelaySettingsPanel';
import { VerificationPanel } from '../components/VerificationPanel';
import { WebSettingsPanel } from '../components/WebSettingsPanel';
import { shownName } from '../domains';
import { formatDateTime, formatMegabytes } from '../format';
import { useDomains } from '../hooks/useDomains';
import { useLoader } from '../hooks/useLoader';
import { paths } from '../routes';

function SubdomainList({ root }: { root: Domain }) {
  const domains = useDomains();
  const children = domains.data?.filter((d) => d.parent === root.name) ?? [];
  return (
    <section className="panel" aria-labelledby="subdomains-heading">
      <div className="panel-header">
        <h2 id="subdomains-heading">Sub-domains</h2>
        <Link to={paths.addSubdomain(root.name)} className="button button-secondary">
          <Icon name="plus" />
          Add Sub-domain
        </Link>
      </div>
      {children.length === 0 ? (
        <p className="muted">
          None yet. Use sub-domains to isolate operational and campaign traffic.
        </p>
      ) : (
        <ul className="plain-list">
          {children.map((child) => (
            <li key={child.id}>
              <Link to={paths.domain(child.name)}>{shownName(child)}</Link>
              <DomainStatusBadge domain={child} />
              <span className="muted">
                {child.mailboxCount} / {child.mailboxLimit} mailboxes
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DomainPage({ name }: { name: string }) {
  const domain = useLoader(name, (signal) =>
    api.GET('/v1/domains/{name}', { params: { path: { name } }, signal }),
  );
  const [justVerified, setJustVerified] = useState(false);
  const current = domain.data;

  if (domain.error) {
    return (
      <>
        <PageHeader title={name} />
        <Alert tone="error">{domain.error.message}</Alert>
        <p>
          <Link to={paths.domains}>Back to Domains</Link>
        </p>
      </>
    );
  }
  if (!current) return <p className="muted">Loading {name}…</p>;

  return (
    <>
      <PageHeader
        title={shownName(current)}
        badge={<DomainStatusBadge domain={current} />}
        subtitle={
          current.kind === 'subdomain' && current.parent ? (
            <>
              Sub-domain of <Link to={paths.domain(current.parent)}>{current.parent}</Link>
            </>
          ) : (
            <>Root domain · added {formatDateTime(current.createdAt)}</>
          )
        }
        actions={
          current.status === 'verified' && (
            <Link to={paths.addMailbox(current.name)} className="button button-primary">
              <Icon name="plus" />
              Add Mailbox
            </Link>
          )
        }
      />
      {current.warnings.map((warning) => (
        <Alert key={warning.code} tone="info" title="Check this name">
          {warning.message}
        </Alert>
      ))}
      <dl className="stats">
        <div>
          <dt>Mailboxes</dt>
          <dd>
            <MailboxSlots domain={current} />
          </dd>
        </div>
        <div>
          <dt>Storage pool</dt>
          <dd>{formatMegabytes(current.quotaMb)}</dd>
        </div>
        <div>
          <dt>DNS</dt>
          <dd>
            {current.dns.checkedAt
              ? current.dns.ready
                ? 'All records found'
                : `${current.dns.failing.length} record(s) need attention`
              : 'Not checked yet'}
          </dd>
        </div>
      </dl>
      {justVerified && current.status === 'verified' && (
        <Alert tone="success" title={`${current.unicodeName} is verified`}>
          You can now create mailboxes on it
          {current.kind === 'root' ? ' and on its sub-domains' : ''}.
        </Alert>
      )}
      {current.status === 'pending' && (
        <VerificationPanel
          domain={current}
          onVerified={() => {
            setJustVerified(true);
            domain.reload();
          }}
        />
      )}
      {current.kind === 'root' && <WebSettingsPanel domain={current} onSaved={domain.reload} />}
      <RelaySettingsPanel domain={current} onSaved={domain.reload} />
      <DnsRecordsPanel domain={current} onChecked={domain.reload} />
      {current.kind === 'root' && current.status === 'verified' && (
        <CertificatesPanel domain={current} />
      )}
      {current.kind === 'root' && <SubdomainList root={current} />}
    </>
  );
}
