import { execFileSync } from 'node:child_process';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';

/** A self-signed certificate for `host`, made with Debian's openssl. */
export function certificate(host: string, days = 1): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'mailwright-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      String(days),
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
}

export interface HttpsResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The app over HTTPS with `tls` on a random loopback port, and a client that trusts exactly that
 * certificate and names `host` in SNI and the Host header, as a browser or MTA would.
 */
export async function serveHttps(
  ctx: ServiceContext,
  tls: { cert: Buffer; key: Buffer },
): Promise<{
  port: number;
  close(): Promise<void>;
  request(
    host: string,
    path: string,
    opts?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<HttpsResponse>;
}> {
  const app = await buildApp(ctx, { https: tls });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return {
    port,
    close: () => app.close(),
    request: (host, path, opts = {}) =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: opts.method ?? 'GET',
            path,
            servername: host,
            headers: { host: `${host}:${port}`, ...opts.headers },
            ca: tls.cert,
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
            );
          },
        );
        req.on('error', reject);
        req.end(opts.body);
      }),
  };
}
