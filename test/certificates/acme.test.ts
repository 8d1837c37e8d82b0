import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateAuthorityFor, startCertificateRenewal } from '../../src/app/certificates.js';
import { loadConfig } from '../../src/app/config.js';
import { startChallengeListener } from '../../src/certificates/acme-challenges.js';
import { certificateFiles } from '../../src/certificates/certificate-store.js';
import { reloadingTls } from '../../src/certificates/tls-contexts.js';
import { buildApp } from '../../src/http/app.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import type { ServiceContext } from '../../src/services/context.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { runWith } from '../cli/run-cli.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startAcmeCa, type AcmeCa } from '../support/acme-ca.js';
import type { Pebble } from '../support/pebble.js';

const MAIL_HOST = 'mx.certs.example';
const MTA_STS = 'mta-sts.certs.example';
const DAY_MS = 86_400_000;

/**
 * Certificates from a real ACME server (Debian's pebble on loopback), which validates HTTP-01
 * against Mailwright's own port-80 listener, found through a test DNS server.
 */
describe.each(DIALECTS)('certificates from an ACME CA on %s', (dialect) => {
  let dns: TestDnsServer;
  let ca: AcmeCa;
  let pebble: Pebble;
  let env: Record<string, string>;
  let dataDir: string;
  let key: Buffer;
  let store: Awaited<ReturnType<typeof freshStore>>;

  beforeAll(async () => {
    store = await freshStore(dialect);
    key = randomBytes(32);
    const ctx = testContext(store.store, { key });
    const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
    const actor = { accountId: account.id, name: 'test' };
    await addDomain(ctx, actor, { name: 'certs.example' });
    await verifyDomain(ctx, actor, 'certs.example', { manual: true });
    await addDomain(ctx, actor, { name: 'pending.example' });

    dns = await startDnsServer();
    ca = await startAcmeCa(dns, [MAIL_HOST, MTA_STS]);
    pebble = ca.pebble;
    dataDir = ca.dataDir;
    writeFileSync(join(dataDir, 'secret.key'), `${key.toString('hex')}\n`, { mode: 0o600 });
    env = {
      ...ca.env,
      MAILWRIGHT_DATABASE_URL: store.url,
      MAILWRIGHT_MAIL_HOST: MAIL_HOST,
    };
  }, 60_000);

  afterAll(async () => {
    await ca?.close();
    await dns?.close();
    await store?.drop();
  });

  it('issues the mail host’s certificate, stored with a key only its owner and group read', async () => {
    const run = await runWith(env, ['cert', 'issue']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^✔ ${MAIL_HOST}  valid until \\S+ \\(\\d+ days left\\)$`, 'm'),
    );
    const files = certificateFiles(dataDir, MAIL_HOST);
    // The chain as the CA sent it: the host's certificate, then the intermediate up to the root.
    const [leaf, intermediate] = readFileSync(files.fullchain, 'utf8')
      .split(/(?<=-----END CERTIFICATE-----)\s*/)
      .filter(Boolean)
      .map((pem) => new X509Certificate(pem));
    expect(leaf!.checkHost(MAIL_HOST)).toBe(MAIL_HOST);
    expect(leaf!.verify(intermediate!.publicKey)).toBe(true);
    expect(intermediate!.verify(new X509Certificate(await pebble.issuingRoot()).publicKey)).toBe(
      true,
    );
    expect(statSync(files.privkey).mode & 0o777).toBe(0o640);
    expect(statSync(join(dataDir, 'acme', 'account.key')).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('shows each certificate with its expiry', async () => {
    const run = await runWith(env, ['--json', 'cert', 'status']);
    expect(run.code).toBe(0);
    const mx = (
      run.json as { name: string; notAfter: string; daysLeft: number; renewalDue: boolean }[]
    ).find((c) => c.name === MAIL_HOST);
    expect(mx).toMatchObject({ name: MAIL_HOST, renewalDue: false });
    expect(mx!.daysLeft).toBeGreaterThan(30);
    expect(Date.parse(mx!.notAfter)).toBeGreaterThan(Date.now() + 30 * DAY_MS);
  });

  it('issues mta-sts.<domain> of a verified domain only', async () => {
    const unverified = await runWith(env, ['cert', 'issue', 'mta-sts.pending.example']);
    expect(unverified.code).toBe(3);
    expect(unverified.stderr).toMatch(/pending\.example is not verified/);
    const other = await runWith(env, ['cert', 'issue', 'shop.elsewhere.example']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /mail host mx\.certs\.example, for mta-sts\.<domain> of verified domains and for <domain> and www\.<domain> of verified root domains with a web redirect, not for shop\.elsewhere\.example/,
    );

    const run = await runWith(env, ['cert', 'issue', MTA_STS]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const status = await runWith(env, ['--json', 'cert', 'status']);
    expect((status.json as { name: string }[]).map((c) => c.name)).toEqual([MTA_STS, MAIL_HOST]);
  }, 60_000);

  it('renews near expiry, and the API serves the new certificate without a restart', async () => {
    const config = loadConfig(env);
    const issued = (name: string) =>
      new X509Certificate(readFileSync(certificateFiles(dataDir, name).fullchain));
    const notAfter = new Date(issued(MAIL_HOST).validTo);
    let now = new Date();
    const ctx: ServiceContext = {
      ...testContext(store.store, { key, clock: () => now }),
      certificates: certificateAuthorityFor(config),
    };
    const mx = certificateFiles(dataDir, MAIL_HOST);
    const app = await buildApp(ctx, {
      https: reloadingTls(dataDir, { certFile: mx.fullchain, keyFile: mx.privkey }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port80 = await startChallengeListener(dataDir, config.httpListen!);
    const log = { info: () => undefined, error: (m: string) => void errors.push(m) };
    const errors: string[] = [];
    try {
      const before = { mx: await served(app, MAIL_HOST), sts: await served(app, MTA_STS) };
      expect(before.sts.subjectAltName).toBe(`DNS:${MTA_STS}`);

      const renewal = startCertificateRenewal(ctx, config, log);
      renewal.stop();
      expect(await renewal.check()).toEqual({ renewed: [], failed: [], skipped: [] });

      now = new Date(notAfter.getTime() - 29 * DAY_MS);
      expect(await renewal.check()).toEqual({
        renewed: [MTA_STS, MAIL_HOST],
        failed: [],
        skipped: [],
      });
      expect(errors).toEqual([]);
      const after = { mx: await served(app, MAIL_HOST), sts: await served(app, MTA_STS) };
      expect(after.mx.serialNumber).toBe(issued(MAIL_HOST).serialNumber);
      expect(after.mx.serialNumber).not.toBe(before.mx.serialNumber);
      expect(after.sts.serialNumber).not.toBe(before.sts.serialNumber);
      expect(after.mx.subjectAltName).toBe(`DNS:${MAIL_HOST}`);
    } finally {
      await port80.close();
      await app.close();
    }
  }, 120_000);
});

/** The certificate the app presents to a client asking for `name` (SNI), as an MTA would. */
function served(app: FastifyInstance, name: string): Promise<X509Certificate> {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: name,
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (cert) resolve(cert);
      else reject(new Error('no certificate'));
    });
    socket.once('error', reject);
  });
}
