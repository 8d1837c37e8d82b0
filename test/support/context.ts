import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  DEFAULT_DMARC_POLICY,
  DEFAULT_DNS_TTL,
  DEFAULT_MTA_STS_MODE,
  type DnsSettings,
} from '../../src/core/dns-plan.js';
import { createRecordChecker } from '../../src/dns/record-checker.js';
import { createTxtResolver } from '../../src/dns/txt-resolver.js';
import { secretsFromKey, type ServiceContext } from '../../src/services/context.js';
import type { Store } from '../../src/store/database.js';

export const TEST_MAIL_SERVER = {
  imapHost: 'mail.test',
  imapPort: 993,
  smtpHost: 'mail.test',
  smtpPort: 587,
};

/** The production defaults (no SPF includes, no report address) around the test mail host. */
export const TEST_DNS_SETTINGS: DnsSettings = {
  mailHost: TEST_MAIL_SERVER.imapHost,
  imapPort: TEST_MAIL_SERVER.imapPort,
  submissionPort: TEST_MAIL_SERVER.smtpPort,
  spfIncludes: [],
  dmarcPolicy: DEFAULT_DMARC_POLICY,
  mtaStsMode: DEFAULT_MTA_STS_MODE,
  ttl: DEFAULT_DNS_TTL,
  web: {},
};

/** A real service context over `store`, resolving through the given test DNS servers. */
export function testContext(
  store: Store,
  opts: {
    dnsServers?: string[];
    clock?: () => Date;
    key?: Buffer;
    jobLeaseSeconds?: number;
    dnsSettings?: Partial<DnsSettings>;
  } = {},
): ServiceContext {
  const dnsSettings = { ...TEST_DNS_SETTINGS, ...opts.dnsSettings };
  const servers = opts.dnsServers ?? [];
  return {
    store,
    dns: createTxtResolver(servers, { timeoutMs: 500 }),
    clock: opts.clock ?? (() => new Date()),
    secrets: secretsFromKey(opts.key ?? randomBytes(32)),
    mailServer: TEST_MAIL_SERVER,
    dnsSettings,
    recordChecker: createRecordChecker({
      servers,
      timeoutMs: 500,
      mailHost: dnsSettings.mailHost,
    }),
    jobLeaseSeconds: opts.jobLeaseSeconds ?? 30,
    // The default of MAILWRIGHT_HASH_CONCURRENCY.
    hashConcurrency: availableParallelism(),
  };
}
