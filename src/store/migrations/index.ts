import { initialSchema } from './001-initial.js';
import { limitsAndJobs } from './002-limits-and-jobs.js';
import { dkimKeys } from './003-dkim-keys.js';
import { dnsReadiness } from './004-dns-readiness.js';
import { mailViews } from './005-mail-views.js';
import { operators } from './006-operators.js';
import { credentialsRetry } from './007-credentials-retry.js';
import { jobCancel } from './008-job-cancel.js';
import { domainClaims } from './009-domain-claims.js';
import { sendingPolicy } from './010-sending-policy.js';
import { tokenScopes } from './011-token-scopes.js';
import { mailRouting } from './012-mail-routing.js';
import { webhooks } from './013-webhooks.js';
import { operatorTotp } from './014-operator-totp.js';
import { appPasswords } from './015-app-passwords.js';
import { aliasSenders } from './016-alias-senders.js';
import { serverKeyCheck } from './021-server-key-check.js';
import { domainWeb } from './022-domain-web.js';
import { runnerHeartbeats } from './023-runner-heartbeats.js';
import { domainRelay } from './024-domain-relay.js';
import { aliasLookup } from './025-alias-lookup.js';
import { mailboxListingIndex } from './026-mailbox-listing-index.js';
import { mailboxDomainQuota } from './027-mailbox-domain-quota.js';
import { quotaWatch } from './028-quota-watch.js';
import type { SchemaMigration } from './migration.js';

/**
 * Every migration, in the order they run. The name is the file's and what `kysely_migration`
 * records as applied, so it never changes once released; a new migration is a new file with the
 * next number, added at the end.
 */
export const MIGRATIONS: readonly (readonly [name: string, migration: SchemaMigration])[] = [
  ['001-initial', initialSchema],
  ['002-limits-and-jobs', limitsAndJobs],
  ['003-dkim-keys', dkimKeys],
  ['004-dns-readiness', dnsReadiness],
  ['005-mail-views', mailViews],
  ['006-operators', operators],
  ['007-credentials-retry', credentialsRetry],
  ['008-job-cancel', jobCancel],
  ['009-domain-claims', domainClaims],
  ['010-sending-policy', sendingPolicy],
  ['011-token-scopes', tokenScopes],
  ['012-mail-routing', mailRouting],
  ['013-webhooks', webhooks],
  ['014-operator-totp', operatorTotp],
  ['015-app-passwords', appPasswords],
  ['016-alias-senders', aliasSenders],
  ['021-server-key-check', serverKeyCheck],
  ['022-domain-web', domainWeb],
  ['023-runner-heartbeats', runnerHeartbeats],
  ['024-domain-relay', domainRelay],
  ['025-alias-lookup', aliasLookup],
  ['026-mailbox-listing-index', mailboxListingIndex],
  ['027-mailbox-domain-quota', mailboxDomainQuota],
  ['028-quota-watch', quotaWatch],
];
