import { randomBytes } from 'node:crypto';
import { createTxtResolver } from '../../src/dns/txt-resolver.js';
import { secretsFromKey, type ServiceContext } from '../../src/services/context.js';
import type { Store } from '../../src/store/database.js';

export const TEST_MAIL_SERVER = {
  imapHost: 'mail.test',
  imapPort: 993,
  smtpHost: 'mail.test',
  smtpPort: 587,
};

/** A real service context over `store`, resolving through the given test DNS servers. */
export function testContext(
  store: Store,
  opts: { dnsServers?: string[]; clock?: () => Date; key?: Buffer; jobLeaseSeconds?: number } = {},
): ServiceContext {
  return {
    store,
    dns: createTxtResolver(opts.dnsServers ?? [], { timeoutMs: 500 }),
    clock: opts.clock ?? (() => new Date()),
    secrets: secretsFromKey(opts.key ?? randomBytes(32)),
    mailServer: TEST_MAIL_SERVER,
    jobLeaseSeconds: opts.jobLeaseSeconds ?? 30,
  };
}
