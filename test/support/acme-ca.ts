import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDnsServer } from './dns-server.js';
import { startPebble, type Pebble } from './pebble.js';
import { freePort } from './ports.js';

/**
 * An ACME CA (pebble) for certificates of `hosts`, which the test DNS server points at
 * loopback, and a data dir to keep them in: `env` holds the variables that point Mailwright
 * at both (MAILWRIGHT_HTTP_LISTEN is the port pebble validates HTTP-01 on).
 */
export interface AcmeCa {
  pebble: Pebble;
  dataDir: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startAcmeCa(dns: TestDnsServer, hosts: readonly string[]): Promise<AcmeCa> {
  for (const host of hosts) dns.setAddresses(host, 'A', ['127.0.0.1']);
  const httpPort = await freePort();
  const pebble = await startPebble({ dnsServer: dns.address, httpPort });
  const dataDir = mkdtempSync(join(tmpdir(), 'mailwright-certs-'));
  return {
    pebble,
    dataDir,
    env: {
      MAILWRIGHT_DATA_DIR: dataDir,
      MAILWRIGHT_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
      MAILWRIGHT_ACME_DIRECTORY_URL: pebble.directoryUrl,
      MAILWRIGHT_ACME_CA_FILE: pebble.caFile,
      MAILWRIGHT_ACME_EMAIL: `hostmaster@${hosts[0]}`,
    },
    async close() {
      await pebble.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
