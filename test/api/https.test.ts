import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { verifyDomain } from '../../src/services/verify-domain.js';
import { startHarness, type Harness } from '../support/harness.js';
import { certificate } from '../support/tls.js';

describe('HTTPS', () => {
  let h: Harness;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let port: number;
  const tls = certificate('mta-sts.example.com');

  beforeAll(async () => {
    h = await startHarness('sqlite');
    await h.request('POST', '/v1/domains', { body: { name: 'example.com' } });
    await verifyDomain(h.ctx, h.alice.actor, 'example.com', { manual: true });
    app = await buildApp(h.ctx, { https: tls });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('serves the MTA-STS policy over HTTPS with a certificate senders can verify', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/.well-known/mta-sts.txt',
            servername: 'mta-sts.example.com',
            headers: { host: 'mta-sts.example.com' },
            ca: tls.cert,
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(status).toBe(200);
    expect(body).toMatch(/^version: STSv1\r?\nmode: testing\r?\n/);
  });
});
