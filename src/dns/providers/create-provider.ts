import type { DnsProvider } from './dns-provider.js';
import { createPowerDnsProvider } from './powerdns.js';
import { createRfc2136Provider } from './rfc2136.js';

/** Which DNS host records are published to, and how to reach it (MAILWRIGHT_DNS_PROVIDER…). */
export type DnsProviderConfig =
  | {
      kind: 'rfc2136';
      server: string;
      keyName: string;
      keySecret: string;
      algorithm: 'hmac-sha256' | 'hmac-sha512';
    }
  | { kind: 'powerdns'; apiUrl: string; apiKey: string; serverId: string };

export function createDnsProvider(config: DnsProviderConfig): DnsProvider {
  return config.kind === 'rfc2136' ? createRfc2136Provider(config) : createPowerDnsProvider(config);
}
