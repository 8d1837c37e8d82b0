import { useState } from 'react';
import { api, downloadFile, shapeOf } from '../api/client';
import type { Domain, Job } from '../api/types';
import { Alert } from '../components/Alert';
import { BulkJobProgress } from '../components/BulkJobProgress';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DomainJobPanel } from '../components/DomainJobPanel';
import { DomainStatusBadge } from '../components/DomainStatusBadge';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { MailboxSlots } from '../components/UsageMeter';
import { nestDomains, shownName } from '../domains';
import { formatMegabytes } from '../format';
import { useDomains } from '../hooks/useDomains';
import { useMutation } from '../hooks/useMutation';
import { saveFile } from '../save-file';
import { paths } from '../routes';

interface Selection {
  selected: ReadonlySet<string>;
  toggle: (name: string) => void;
}

function DomainRow({ domain, selection }: { domain: Domain; selection: Selection }) {
  const sub = domain.kind === 'subdomain';
  return (
    <tr className={sub ? 'row-child' : undefined}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${shownName(domain)}`}
          checked={selection.selected.has(domain.name)}
          onChange={() => selection.toggle(domain.name)}
        />
      </td>
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

/**
 * Verify, publish or export the selected domains, or with none selected every pending one (for
 * verify and publish) or all of them (for the export).
 */
function BulkActions({
  selected,
  onAccepted,
  onExport,
}: {
  selected: readonly string[];
  onAccepted: (accepted: { job: Job; domains: string[] }) => void;
  onExport: (job: Job) => void;
}) {
  const [exportWarning, setExportWarning] = useState<string>();
  const exportSelection = selected.length > 0 ? { domains: [...selected] } : { all: true };
  const previewExport = useMutation(async () => {
    const answer = await api.POST('/v1/mailboxes/export', {
      body: { ...exportSelection, dryRun: true },
    });
    setExportWarning(shapeOf(answer, 'preview').preview.warning);
  });
  const body = selected.length > 0 ? { names: [...selected] } : { pending: true };
  const verify = useMutation(async () =>
    onAccepted(await api.POST('/v1/domains/verify', { body })),
  );
  const publish = useMutation(async () =>
    onAccepted(await api.POST('/v1/domains/dns/publish', { body })),
  );
  const exportDns = useMutation(async () => {
    const file = await downloadFile('/v1/domains/dns/export.zip', {
      params: { query: selected.length > 0 ? { names: selected.join(',') } : {} },
    });
    saveFile(file.blob, file.filename ?? 'mailwright-dns.zip');
  });
  const busy = verify.busy || publish.busy || exportDns.busy;
  const which = selected.length > 0 ? `${selected.length} selected` : 'pending';
  const error = verify.error ?? publish.error ?? exportDns.error ?? previewExport.error;
  return (
    <div className="form-actions" role="group" aria-label="Bulk actions">
      <button
        type="button"
        className="button button-secondary"
        disabled={busy}
        onClick={verify.run}
      >
        Verify ({which})
      </button>
      <button
        type="button"
        className="button button-secondary"
        disabled={busy}
        onClick={publish.run}
      >
        Publish DNS ({which})
      </button>
      <button
        type="button"
        className="button button-secondary"
        disabled={busy}
        onClick={exportDns.run}
      >
        <Icon name="download" />
        Export DNS ({selected.length > 0 ? `${selected.length} selected` : 'all'})
      </button>
      <button
        type="button"
        className="button button-secondary"
        disabled={busy || previewExport.busy}
        onClick={previewExport.run}
      >
        Export mailboxes ({selected.length > 0 ? `${selected.length} selected` : 'all'})
      </button>
      {error && <Alert tone="error">{error.message}</Alert>}
      {exportWarning && (
        <ConfirmDialog
          title="Give these mailboxes new passwords?"
          confirmLabel="Export with new passwords"
          danger
          onClose={() => setExportWarning(undefined)}
          onConfirm={async () => {
            const answer = await api.POST('/v1/mailboxes/export', { body: exportSelection });
            setExportWarning(undefined);
            onExport(shapeOf(answer, 'job').job);
          }}
        >
          <p>{exportWarning}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

export function DomainsPage() {
  const domains = useDomains();
  const groups = domains.data ? nestDomains(domains.data) : [];
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [accepted, setAccepted] = useState<{ job: Job; domains: string[] }>();
  const [exportJob, setExportJob] = useState<Job>();
  const selection: Selection = {
    selected,
    toggle: (name) =>
      setSelected((current) => {
        const next = new Set(current);
        if (!next.delete(name)) next.add(name);
        return next;
      }),
  };

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
        <BulkActions selected={[...selected]} onAccepted={setAccepted} onExport={setExportJob} />
      )}
      {exportJob && (
        <BulkJobProgress key={exportJob.id} initial={exportJob} onFinished={() => undefined} />
      )}
      {accepted && (
        <DomainJobPanel key={accepted.job.id} accepted={accepted} onFinished={domains.reload} />
      )}
      {groups.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">
              Domains and their sub-domains, with status, mailboxes used of the limit, and storage
              pool
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Selected</span>
                </th>
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
                <DomainRow domain={root} selection={selection} />
                {children.map((child) => (
                  <DomainRow key={child.id} domain={child} selection={selection} />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </>
  );
}
