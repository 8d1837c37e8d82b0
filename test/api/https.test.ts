import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { startHarness, type Harness } from '../support/harness.js';
import { certificate, serveHttps } from '../support/tls.js';

describe('HTTPS', () => {
  let h: Harness;
  let server: Awaited<ReturnType<typeof serveHttps>>;
  const tls = certificate('mta-sts.example.com');

  beforeAll(async () => {
    h = await startHarness('sqlite');
    await h.request('POST', '/v1/domains', { body: { name: 'example.com' } });
    await verifyDomain(h.ctx, h.alice.actor, 'example.com', { manual: true });
    server = await serveHttps(h.ctx, tls);
  });
  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('serves the MTA-STS policy over HTTPS with a certificate senders can verify', async () => {
    const { status, body } = await server.request(
      'mta-sts.example.com',
      '/.well-known/mta-sts.txt',
    );
    expect(status).toBe(200);
    expect(body).toMatch(/^version: STSv1\r?\nmode: testing\r?\n/);
  });
});
