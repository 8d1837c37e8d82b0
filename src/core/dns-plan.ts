import { dkimRecordValue, type DkimAlgorithm } from './dkim-key.js';
import type { PlannedRecord, RecordType } from './dns-record.js';
import { mtaStsId, mtaStsPolicy, type MtaStsMode } from './mta-sts.js';
import { verificationRecord } from './verification.js';

/** From weakest to strictest, which is how published policies are compared. */
export const DMARC_POLICIES = ['none', 'quarantine', 'reject'] as const;
export type DmarcPolicy = (typeof DMARC_POLICIES)[number];

/** The platform-wide choices every domain's records follow (docs/dns.md explains each). */
export interface DnsSettings {
  /** The one host that receives mail and that clients connect to, without a trailing dot. */
  mailHost: string;
  imapPort: number;
  submissionPort: number;
  /** Extra senders' SPF domains, e.g. `_spf.example-relay.net`, without `include:`. */
  spfIncludes: string[];
  /** `mailto:` URI aggregate reports go to; TLS-RPT reports go there too. */
  dmarcRua?: string;
  dmarcPolicy: DmarcPolicy;
  mtaStsMode: MtaStsMode;
  ttl: number;
  /** Where Mailwright answers web requests: redirected domains and `www.` point here. */
  web: WebAddress;
}

/** Any of them may be unset; a domain's web records are planned from those that are set. */
export interface WebAddress {
  ipv4?: string;
  ipv6?: string;
  /** A host name `www.` may be a CNAME to (the apex cannot: RFC 1034 §3.6.2). */
  cname?: string;
}

export const hasWebAddress = (web: WebAddress): boolean =>
  web.ipv4 !== undefined || web.ipv6 !== undefined || web.cname !== undefined;

export const DEFAULT_DNS_TTL = 3600;
export const DEFAULT_DMARC_POLICY: DmarcPolicy = 'quarantine';
export const DEFAULT_MTA_STS_MODE: MtaStsMode = 'testing';

export interface PlannedDomain {
  /** A-label, lowercase. */
  name: string;
  kind: 'root' | 'subdomain';
  parentName: string | null;
  verificationToken: string;
  /** Root domains only; when set, the domain and `www.` point at Mailwright's web address. */
  redirectTo?: string | null;
  /** Root domains only: the target of `track.<domain> CNAME`. */
  trackingCname?: string | null;
}

export interface PublishedDkimKey {
  selector: string;
  algorithm: DkimAlgorithm;
  publicKeyBase64: string;
}

/**
 * Where a hostname's records live below it (DKIM's selectors below `_domainkey`). A sub-domain
 * label must not take the first of these labels under its root (core/subdomain-label.ts): its
 * own MX and TXT would land beside the root's records, or beside the MTA-STS CNAME, which may
 * have no neighbours (RFC 2181 §10.1).
 */
export const RECORD_HOSTS = {
  dkim: '_domainkey',
  dmarc: '_dmarc',
  mtaStsPolicy: '_mta-sts',
  mtaStsHost: 'mta-sts',
  tlsRpt: '_smtp._tls',
  imaps: '_imaps._tcp',
  // RFC 8314 gives implicit TLS on 465 its own service name; 587 is RFC 6186's STARTTLS one.
  submissions: '_submissions._tcp',
  submission: '_submission._tcp',
} as const;

/** The labels a root's web records take: visitors' `www.` and an email tool's click tracking. */
export const WEB_HOSTS = { www: 'www', tracking: 'track' } as const;

const ALGORITHM_NAMES: Record<DkimAlgorithm, string> = { rsa: 'RSA', ed25519: 'Ed25519' };

/**
 * Every record one hostname needs, in a fixed order: ownership, receiving (MX), sending
 * authentication (SPF, DKIM in the order given, DMARC), transport security (MTA-STS, TLS-RPT),
 * then mail-client discovery (SRV), then a root's web records (redirect, tracking). A
 * sub-domain gets the same mail records under its own name, because SPF, DKIM and MX never
 * inherit, and its own DMARC record so it does not depend on the root's.
 */
export function planRecords(
  domain: PlannedDomain,
  settings: DnsSettings,
  dkim: PublishedDkimKey[],
): PlannedRecord[] {
  const { name } = domain;
  const root = domain.parentName ?? name;
  const mailHost = `${settings.mailHost}.`;
  const record = (type: RecordType, host: string, value: string, purpose: string) => ({
    type,
    host,
    value,
    ttl: settings.ttl,
    purpose,
  });
  const ownership = verificationRecord(root, domain.verificationToken);
  const rua = settings.dmarcRua ? `; rua=${settings.dmarcRua}` : '';
  const policy = mtaStsPolicy(settings.mtaStsMode, settings.mailHost);
  const submission =
    settings.submissionPort === 465 ? RECORD_HOSTS.submissions : RECORD_HOSTS.submission;
  const at = (host: string) => `${host}.${name}`;

  return [
    record(
      'TXT',
      ownership.host,
      ownership.value,
      domain.parentName
        ? `Without it Mailwright cannot confirm you control ${root}, which ${name} is verified through, and no mailboxes can be created on it; it is shared with the root, so publish it once.`
        : `Without it Mailwright cannot confirm you control ${name}, and no mailboxes can be created on it.`,
    ),
    record(
      'MX',
      name,
      `10 ${mailHost}`,
      `Without it no mail for ${name} reaches Mailwright, so its mailboxes receive nothing.`,
    ),
    record(
      'TXT',
      name,
      ['v=spf1', 'mx', ...settings.spfIncludes.map((i) => `include:${i}`), '-all'].join(' '),
      `Without it receivers cannot tell that ${settings.mailHost} may send for ${name}, and its mail goes to spam or is rejected.`,
    ),
    ...dkim.map((key) =>
      record(
        'TXT',
        at(`${key.selector}.${RECORD_HOSTS.dkim}`),
        dkimRecordValue(key.algorithm, key.publicKeyBase64),
        `Without it mail from ${name} signed with the ${ALGORITHM_NAMES[key.algorithm]} selector ${key.selector} fails DKIM, and receivers distrust or reject it.`,
      ),
    ),
    domain.parentName
      ? record(
          'TXT',
          at(RECORD_HOSTS.dmarc),
          `v=DMARC1; p=${settings.dmarcPolicy}${rua}`,
          `Without this own record ${name} has DMARC only through the sp= policy of ${root}, and none where the root's DNS lacks it, so Gmail and Yahoo refuse its bulk mail.`,
        )
      : record(
          'TXT',
          at(RECORD_HOSTS.dmarc),
          `v=DMARC1; p=${settings.dmarcPolicy}; sp=${settings.dmarcPolicy}${rua}`,
          `Without it receivers apply no policy to forged mail from ${name} and its sub-domains (sp=), and Gmail and Yahoo refuse its bulk mail.`,
        ),
    record(
      'TXT',
      at(RECORD_HOSTS.mtaStsPolicy),
      `v=STSv1; id=${mtaStsId(policy)}`,
      `Without it sending servers never fetch the MTA-STS policy, so mail to ${name} can be downgraded to unencrypted delivery.`,
    ),
    record(
      'CNAME',
      at(RECORD_HOSTS.mtaStsHost),
      mailHost,
      `Without it the MTA-STS policy at https://mta-sts.${name}/.well-known/mta-sts.txt cannot be fetched, and the _mta-sts record has no effect.`,
    ),
    record(
      'TXT',
      at(RECORD_HOSTS.tlsRpt),
      // TLS-RPT requires a destination; postmaster is the one address RFC 5321 makes every mail
      // domain accept.
      `v=TLSRPTv1; rua=${settings.dmarcRua ?? `mailto:postmaster@${name}`}`,
      `Without it you never hear when other servers fail to deliver mail to ${name} over TLS.`,
    ),
    record(
      'SRV',
      at(RECORD_HOSTS.imaps),
      `0 1 ${settings.imapPort} ${mailHost}`,
      `Without it mail apps cannot find the IMAP server for addresses at ${name}, and users must type the server settings by hand.`,
    ),
    record(
      'SRV',
      at(submission),
      `0 1 ${settings.submissionPort} ${mailHost}`,
      `Without it mail apps cannot find the server that sends mail for addresses at ${name}, and users must type the server settings by hand.`,
    ),
    ...webRecords(domain, settings),
  ];
}

/**
 * The apex and `www.` point at Mailwright's web address while the domain has a redirect
 * (A/AAAA; `www.` by CNAME when one is configured), and `track.` at the tracking target.
 */
function webRecords(domain: PlannedDomain, settings: DnsSettings): PlannedRecord[] {
  const { name } = domain;
  const { web, ttl } = settings;
  const records: PlannedRecord[] = [];
  const add = (type: RecordType, host: string, value: string, purpose: string) =>
    records.push({ type, host, value, ttl, purpose });
  if (domain.redirectTo) {
    const why = (host: string) =>
      `Without it visitors of http(s)://${host} are not sent to ${domain.redirectTo}.`;
    const addresses = (host: string) => {
      if (web.ipv4) add('A', host, web.ipv4, why(host));
      if (web.ipv6) add('AAAA', host, web.ipv6, why(host));
    };
    const www = `${WEB_HOSTS.www}.${name}`;
    addresses(name);
    if (web.cname) add('CNAME', www, `${web.cname}.`, why(www));
    else addresses(www);
  }
  if (domain.trackingCname) {
    add(
      'CNAME',
      `${WEB_HOSTS.tracking}.${name}`,
      `${domain.trackingCname}.`,
      `Without it the tracked links in mail from ${name} do not reach ${domain.trackingCname}, so clicks go nowhere.`,
    );
  }
  return records;
}
