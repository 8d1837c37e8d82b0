import type { Config } from './config.js';
import { createDnsProvider } from '../dns/providers/create-provider.js';
import { createRecordChecker } from '../dns/record-checker.js';
import { createTxtResolver } from '../dns/txt-resolver.js';
import { migrateToLatest, openStore } from '../store/database.js';
import { secretsFromKey, type Secrets, type ServiceContext } from '../services/context.js';
import { certificateAuthorityFor } from './certificates.js';
import { loadSecretKey } from './secret-key.js';
import { checkServerKey } from './server-key-check.js';
import { join } from 'node:path';
import { dovecotAuthCacheFlush } from '../mailstack/auth-cache.js';
import { dovecotQuotaUsage } from '../mailstack/quota-usage.js';
import { dovecotConfigFile } from '../mailstack/render.js';
import { mailPlaneSettings } from '../mailstack/settings.js';

/**
 * Wires the services to the configured database and resolvers, with the schema brought up to
 * date. The server and every CLI command start here, so both always see the same setup.
 */
export async function openContext(
  config: Config,
): Promise<{ ctx: ServiceContext; close(): Promise<void> }> {
  const store = openStore(config.databaseUrl);
  let secrets: Secrets;
  try {
    await migrateToLatest(store);
    secrets = secretsFromKey(loadSecretKey(config.secretKey, join(config.dataDir, 'secret.key')));
    await checkServerKey(store, secrets, new Date());
  } catch (error) {
    await store.close();
    throw error;
  }
  const ctx: ServiceContext = {
    store,
    dns: createTxtResolver(config.dnsServers),
    clock: () => new Date(),
    secrets,
    mailServer: config.mailServer,
    dnsSettings: config.dnsSettings,
    recordChecker: createRecordChecker({
      servers: config.dnsServers,
      mailHost: config.dnsSettings.mailHost,
    }),
    jobLeaseSeconds: config.jobLeaseSeconds,
    hashConcurrency: config.hashConcurrency,
    unverifiedDomainDays: config.unverifiedDomainDays,
    webhookAllowPrivate: config.webhookAllowPrivate,
    domainRelays: config.domainRelays,
    certificates: certificateAuthorityFor(config),
    ...(config.dnsProvider ? { dnsProvider: createDnsProvider(config.dnsProvider) } : {}),
    ...dovecot(config),
  };
  return { ctx, close: () => store.close() };
}

/**
 * Usage and login-cache flushes go to the configured Dovecot, else to the private mail plane of
 * the data dir.
 */
function dovecot(config: Config): Pick<ServiceContext, 'mailboxUsage' | 'mailPlane'> {
  const configFile = dovecotConfig(config);
  if (configFile === null) return {};
  return {
    mailboxUsage: dovecotQuotaUsage(configFile),
    mailPlane: { flushAuth: dovecotAuthCacheFlush(configFile) },
  };
}

function dovecotConfig(config: Config): string | null {
  if (config.dovecotConfig) return config.dovecotConfig;
  try {
    const settings = mailPlaneSettings({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      mailHost: config.dnsSettings.mailHost,
    });
    return dovecotConfigFile(settings);
  } catch {
    // A database the mail servers cannot read (in-memory SQLite): no mail plane.
    return null;
  }
}
