import type { Domain } from '../api/types';
import { Alert } from '../components/Alert';
import { DomainStatusBadge } from '../components/DomainStatusBadge';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { MailboxSlots } from '../components/UsageMeter';
import { nestDomains, shownName } from '../domains';
import { formatMegabytes } from '../format';
import { useDomains } from '../hooks/useDomains';
import { paths } from '../routes';

function DomainRow({ domain }: { domain: Domain }) {
  const sub = domain.kind === 'subdomain';
  return (
    <tr className={sub ? 'row-child' : undefined}>
      <th scope="row">
        <span className={sub ? 'nested-name' : undefined}>
          <Link to={paths.domain(domain.name)}>{shownName(domain)}</Link>
        </span>
      </th>
      <td>
        <DomainStatusBadge domain={domain} />
      </td>
      <td>
        <MailboxSlots domain={domain} />
      </td>
      <td className="numeric">{formatMegabytes(domain.quotaMb)}</td>
    </tr>
  );
}

function GettingStarted() {
  return (
    <section className="panel empty">
      <h2>Set up your first domain</h2>
      <p>
        Follow this guide to configure your mail infrastructure correctly: create a root domain,
        optionally add sub-domains for safer scale, then provision mailboxes with clean naming,
        secure credentials, and practical quotas.
      </p>
      <ol className="steps">
        <li>Add a domain</li>
        <li>(Optional) Add sub-domains</li>
        <li>Create mailboxes (single or bulk)</li>
      </ol>
      <p className="muted">
        Before you begin, ensure you have access to the DNS host panel where you can add or edit DNS
        records.
      </p>
      <Link to={paths.addDomain} className="button button-primary">
        <Icon name="plus" />
        Add Domain
      </Link>
    </section>
  );
}

export function DomainsPage() {
  const domains = useDomains();
  const groups = domains.data ? nestDomains(domains.data) : [];

  return (
    <>
      <PageHeader
        title="Domains"
        subtitle="Root domains with their sub-domains, and how many mailboxes each holds."
        actions={
          groups.length > 0 && (
            <>
              <Link to={paths.addSubdomain()} className="button button-secondary">
                Add Sub-domain
              </Link>
              <Link to={paths.addDomains} className="button button-secondary">
                Add Domains
              </Link>
              <Link to={paths.addDomain} className="button button-primary">
                <Icon name="plus" />
                Add Domain
              </Link>
            </>
          )
        }
      />
      {domains.error && <Alert tone="error">{domains.error.message}</Alert>}
      {domains.loading && !domains.data && <p className="muted">Loading domains…</p>}
      {domains.data && groups.length === 0 && <GettingStarted />}
      {groups.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              Domains and their sub-domains, with status, mailboxes used of the limit, and storage
              pool
            </caption>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Status</th>
                <th scope="col">Mailboxes</th>
                <th scope="col" className="numeric">
                  Storage pool
                </th>
              </tr>
            </thead>
            {groups.map(({ root, children }) => (
              <tbody key={root.id} className="group">
                <DomainRow domain={root} />
                {children.map((child) => (
                  <DomainRow key={child.id} domain={child} />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </>
  );
}
