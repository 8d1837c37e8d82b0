import {
  mailPlaneSettings,
  type MailPlaneInput,
  type MailPlaneSettings,
} from '../mailstack/settings.js';
import { sync, up, type StackStatus } from '../mailstack/stack.js';
import type { ServiceContext } from '../services/context.js';
import { signingKeys } from '../services/dns-records/signing-keys.js';
import type { Config } from './config.js';
import { policyServerCommand } from './policy-server.js';

/**
 * The mail plane as the CLI drives it. The mail stack knows neither the configuration nor the
 * services, so this is where the two meet: settings from the environment, and the DKIM keys
 * the services unseal handed to the signer.
 */
export type { MailPlaneSettings, StackStatus };
export { down, renderConfig, status } from '../mailstack/stack.js';

export function mailPlaneSettingsFor(
  config: Config,
  overrides: Pick<MailPlaneInput, 'listen' | 'ports'>,
): MailPlaneSettings {
  return mailPlaneSettings({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    mailHost: config.dnsSettings.mailHost,
    listen: overrides.listen ?? config.mailPlane.listen,
    ports: { ...config.mailPlane.ports, ...overrides.ports },
    ...(config.mailTls ? { tls: config.mailTls } : {}),
    ...(config.postmaster ? { postmaster: config.postmaster } : {}),
    ...(config.relay?.host ? { relayHost: config.relay.host } : {}),
    ...(config.relay?.passwordFile ? { relayPasswordFile: config.relay.passwordFile } : {}),
    ...(config.dkimKeysDir ? { dkimKeysDir: config.dkimKeysDir } : {}),
  });
}

/**
 * Renders the configuration, writes the keys that sign and starts the servers and the sending
 * policy service, which gets `env`'s configuration.
 */
export async function startMailPlane(
  ctx: ServiceContext,
  s: MailPlaneSettings,
  env: Readonly<Record<string, string | undefined>>,
): Promise<StackStatus> {
  return up(s, await signingKeys(ctx), policyServerCommand(env));
}

/** Rewrites OpenDKIM's keys from the database, reloading it only when they changed. */
export async function syncSigningKeys(
  ctx: ServiceContext,
  s: MailPlaneSettings,
): Promise<{ changed: boolean; keys: number }> {
  const keys = await signingKeys(ctx);
  const { changed } = await sync(s, keys);
  return { changed, keys: keys.length };
}
