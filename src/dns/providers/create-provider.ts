import type { DnsProviderConfig } from '../../config.js';
import type { DnsProvider } from './dns-provider.js';
import { createPowerDnsProvider } from './powerdns.js';
import { createRfc2136Provider } from './rfc2136.js';

export function createDnsProvider(config: DnsProviderConfig): DnsProvider {
  return config.kind === 'rfc2136' ? createRfc2136Provider(config) : createPowerDnsProvider(config);
}
