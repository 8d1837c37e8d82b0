import { zipSync, strToU8 } from 'fflate';
import { dnsRecordsCsv } from '../../core/dns-records-csv.js';
import type { PlannedRecord } from '../../core/dns-record.js';
import { zoneFragment } from '../../core/zone-file.js';
import { domainNamesNeeding } from '../../store/domains.js';
import { actorDomains, type Actor, type ServiceContext } from '../context.js';
import { requireDomain } from '../domains/get-domain.js';
import { checkDomainList } from '../domains/support/queue-domain-job.js';
import { plannedRecords } from './support/planned-records.js';

export interface DnsExport {
  /** One BIND zone file per domain (`zones/<name>.zone`) and `records.csv` of them all. */
  zip: Uint8Array;
  csv: string;
  /** How many records the CSV holds. */
  records: number;
}

/**
 * Every record the listed domains (or all of the account's, `names` left out) need, in the two
 * shapes DNS hosts import many domains from: a zone file per domain, and one CSV of every
 * record. The same plan `GET /v1/domains/{name}/dns.zone` answers, domain by domain.
 */
export async function exportDns(
  ctx: ServiceContext,
  actor: Actor,
  input: { names?: string[] },
): Promise<DnsExport> {
  const names =
    input.names && input.names.length > 0
      ? await checkDomainList(ctx.store.db, actor, input.names)
      : await domainNamesNeeding(ctx.store.db, actor.accountId, 'any', actorDomains(actor));
  const domains: { name: string; records: PlannedRecord[] }[] = [];
  for (const name of names) {
    const domain = await requireDomain(ctx, actor, name);
    domains.push({ name: domain.name, records: await plannedRecords(ctx, domain) });
  }
  const csv = dnsRecordsCsv(domains);
  const files: Record<string, Uint8Array> = { 'records.csv': strToU8(csv) };
  for (const d of domains) {
    files[`zones/${d.name}.zone`] = strToU8(
      zoneFragment(d.records, `DNS records Mailwright needs for ${d.name}`),
    );
  }
  return { zip: zipSync(files), csv, records: domains.reduce((n, d) => n + d.records.length, 0) };
}
