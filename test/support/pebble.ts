import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/**
 * Debian's `pebble`, the ACME test server, on loopback: it resolves names through `dnsServer`
 * (a test DNS server) and validates HTTP-01 on `httpPort` of the address found there.
 */
export interface Pebble {
  directoryUrl: string;
  /** The certificate of pebble's own HTTPS (MAILWRIGHT_ACME_CA_FILE). */
  caFile: string;
  /** The root that signs the certificates pebble issues (a new one each start). */
  issuingRoot(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPebble(opts: { dnsServer: string; httpPort: number }): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'mailwright-pebble-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=pebble',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const [port, managementPort] = [await freePort(), await freePort()];
  const config = join(dir, 'pebble.json');
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: cert,
        privateKey: key,
        httpPort: opts.httpPort,
        tlsPort: await freePort(),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const child = spawn('pebble', ['-config', config, '-dnsserver', opts.dnsServer], {
    env: {
      ...process.env,
      // No random 0–15 s pauses before validating, no randomly refused nonces, and a new
      // validation for every order (a renewal is validated again, as with a real CA).
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_WFE_NONCEREJECT: '0',
      PEBBLE_AUTHZREUSE: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ca = readFileSync(cert);
  const get = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request(url, { ca }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  for (let attempt = 0; ; attempt++) {
    const answered = await get(directoryUrl).catch(() => null);
    if (answered?.status === 200) break;
    if (attempt > 100 || child.exitCode !== null) {
      child.kill();
      throw new Error(`pebble did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    directoryUrl,
    caFile: cert,
    issuingRoot: async () => (await get(`https://127.0.0.1:${managementPort}/roots/0`)).body,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
