import { Fragment, useState } from 'react';
import { api, type Answer } from '../api/client';
import type { DnsStatus, Domain } from '../api/types';
import type { Tone } from '../domains';
import { formatDateTime, plural } from '../format';
import { useLoader } from '../hooks/useLoader';
import { useMutation } from '../hooks/useMutation';
import { Alert } from './Alert';
import { Badge } from './Badge';
import { CopyButton } from './CopyButton';
import { Icon } from './Icon';

const STATUS: Record<DnsStatus, { label: string; tone: Tone }> = {
  ok: { label: 'OK', tone: 'success' },
  missing: { label: 'Missing', tone: 'danger' },
  mismatch: { label: 'Mismatch', tone: 'danger' },
  error: { label: 'Lookup failed', tone: 'warning' },
  unchecked: { label: 'Not checked', tone: 'neutral' },
};

interface DnsRecordsPanelProps {
  domain: Domain;
  /** A live check updates the domain's DNS status too. */
  onChecked: () => void;
}

/** The records to publish, each with a copy button, checked live on request. */
export function DnsRecordsPanel({ domain, onChecked }: DnsRecordsPanelProps) {
  const name = { path: { name: domain.name } };
  const plan = useLoader(domain.name, (signal) =>
    api.GET('/v1/domains/{name}/dns', { params: name, signal }),
  );
  const [checked, setChecked] = useState<Answer<'get', '/v1/domains/{name}/dns'>>();
  const check = useMutation(async () => {
    setChecked(
      await api.GET('/v1/domains/{name}/dns', { params: { ...name, query: { check: 'true' } } }),
    );
    onChecked();
  });
  const { busy: checking, error } = check;
  const shown = checked ?? plan.data;

  const ok = checked?.records.filter((r) => r.status === 'ok').length ?? 0;
  return (
    <section className="panel" aria-labelledby="dns-heading">
      <div className="panel-header">
        <div>
          <h2 id="dns-heading">DNS records</h2>
          <p className="muted">
            Publish these records at your DNS host so mail to {domain.unicodeName} is delivered and
            trusted.
          </p>
        </div>
        <div className="panel-actions">
          <a
            className="button button-secondary"
            href={`/v1/domains/${encodeURIComponent(domain.name)}/dns.zone`}
            download={`${domain.name}.zone`}
          >
            <Icon name="download" />
            Download zone file
          </a>
          <button
            type="button"
            className="button button-secondary"
            disabled={checking}
            onClick={() => check.run()}
          >
            <Icon name="refresh" />
            {checking ? 'Checking…' : checked ? 'Check again' : 'Check records'}
          </button>
        </div>
      </div>
      <div aria-live="polite">
        {checked && (
          <Alert tone={ok === checked.records.length ? 'success' : 'info'}>
            {ok} of {plural(checked.records.length, 'record')} published as planned
            {checked.checkedAt ? `, checked ${formatDateTime(checked.checkedAt)}` : ''}.
          </Alert>
        )}
      </div>
      {(error ?? plan.error) && <Alert tone="error">{(error ?? plan.error)?.message}</Alert>}
      {!checked && shown?.checkedAt && (
        <p className="muted">Last checked {formatDateTime(shown.checkedAt)}.</p>
      )}
      {shown && (
        <div className="table-wrap">
          <table className="table table-records table-top">
            <caption className="visually-hidden">DNS records for {domain.unicodeName}</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Host</th>
                <th scope="col">Value</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {shown.records.map((record) => (
                <Fragment key={`${record.type} ${record.host} ${record.value}`}>
                  <tr className={record.hint ? 'row-with-hint' : undefined}>
                    <td className="nowrap">
                      <code>{record.type}</code>
                    </td>
                    <td className="record-host">
                      <code>{record.host}</code>
                      <span className="record-purpose">{record.purpose}</span>
                    </td>
                    <td>
                      <div className="record-value">
                        <code>{record.value}</code>
                        <CopyButton
                          value={record.value}
                          what={`${record.type} value for ${record.host}`}
                        />
                      </div>
                    </td>
                    <td>
                      <Badge tone={STATUS[record.status].tone}>{STATUS[record.status].label}</Badge>
                    </td>
                  </tr>
                  {record.hint && (
                    <tr className="row-hint">
                      <td />
                      <td colSpan={3}>{record.hint}</td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
