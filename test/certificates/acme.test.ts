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
import { updateDomain } from '../../src/services/domains/update-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { runWith } from '../cli/run-cli.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { startAcmeCa, type AcmeCa } from '../support/acme-ca.js';
import type { Pebble } from '../support/pebble.js';

const MAIL_HOST = 'mx.certs.example';
const MTA_STS = 'mta-sts.certs.example';
const WEB = ['certs.example', 'www.certs.example'];
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
  /** Sets or removes certs.example's web redirect (a web address makes one allowed). */
  let redirect: (to: string | null) => Promise<unknown>;

  beforeAll(async () => {
    store = await freshStore(dialect);
    key = randomBytes(32);
    const ctx = testContext(store.store, { key });
    const account = await createAccount(ctx, { name: 'acme', actor: 'test' });
    const actor = { accountId: account.id, name: 'test' };
    const webCtx = testContext(store.store, { key, dnsSettings: { web: { ipv4: '127.0.0.1' } } });
    redirect = (to) => updateDomain(webCtx, actor, 'certs.example', { redirectTo: to });
    await addDomain(ctx, actor, { name: 'certs.example' });
    await verifyDomain(ctx, actor, 'certs.example', { manual: true });
    await addDomain(ctx, actor, { name: 'pending.example' });

    dns = await startDnsServer();
    ca = await startAcmeCa(dns, [MAIL_HOST, MTA_STS, ...WEB]);
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

  it('issues <domain> and www.<domain> of a verified root domain with a web redirect only', async () => {
    const before = await runWith(env, ['cert', 'web', 'certs.example']);
    expect(before.code).toBe(3);
    expect(before.stderr).toMatch(/certs\.example has no web redirect \(redirectTo\)/);
    expect(before.stderr).toMatch(/mailwright domain update certs\.example --redirect-to/);
    const www = await runWith(env, ['cert', 'issue', 'www.certs.example']);
    expect(www.code).toBe(3);
    expect(www.stderr).toMatch(/certs\.example has no web redirect/);
    const pending = await runWith(env, ['cert', 'web', 'pending.example']);
    expect(pending.code).toBe(3);
    expect(pending.stderr).toMatch(/pending\.example is not verified/);

    await redirect('https://www.example.net/');
    const run = await runWith(env, ['cert', 'web', 'certs.example']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^✔ certs\.example {2}valid until .*\n✔ www\.certs\.example {2}valid until/,
    );
    for (const name of WEB) {
      const leaf = new X509Certificate(readFileSync(certificateFiles(dataDir, name).fullchain));
      expect(leaf.subjectAltName).toBe(`DNS:${name}`);
    }
    const status = await runWith(env, ['--json', 'cert', 'status']);
    expect((status.json as { name: string }[]).map((c) => c.name)).toEqual([
      'certs.example',
      MTA_STS,
      MAIL_HOST,
      'www.certs.example',
    ]);
  }, 120_000);

  it('renews near expiry, and the API serves the new certificate without a restart', async () => {
    const config = loadConfig(env);
    const issued = (name: string) =>
      new X509Certificate(readFileSync(certificateFiles(dataDir, name).fullchain));
    const notAfter = new Date(issued(MAIL_HOST).validTo);
    let now = new Date();
    const ctx: ServiceContext = {
      ...testContext(store.store, { key, clock: () => now, dnsSettings: { mailHost: MAIL_HOST } }),
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
      const before = {
        mx: await served(app, MAIL_HOST),
        sts: await served(app, MTA_STS),
        www: await served(app, 'www.certs.example'),
      };
      expect(before.sts.subjectAltName).toBe(`DNS:${MTA_STS}`);
      expect(before.www.subjectAltName).toBe('DNS:www.certs.example');

      const renewal = startCertificateRenewal(ctx, config, log);
      renewal.stop();
      expect(await renewal.check()).toEqual({ renewed: [], failed: [], skipped: [] });

      now = new Date(notAfter.getTime() - 29 * DAY_MS);
      expect(await renewal.check()).toEqual({
        renewed: ['certs.example', MTA_STS, MAIL_HOST, 'www.certs.example'],
        failed: [],
        skipped: [],
      });
      expect(errors).toEqual([]);
      const after = {
        mx: await served(app, MAIL_HOST),
        sts: await served(app, MTA_STS),
        www: await served(app, 'www.certs.example'),
      };
      expect(after.www.serialNumber).toBe(issued('www.certs.example').serialNumber);
      expect(after.www.serialNumber).not.toBe(before.www.serialNumber);
      expect(after.mx.serialNumber).toBe(issued(MAIL_HOST).serialNumber);
      expect(after.mx.serialNumber).not.toBe(before.mx.serialNumber);
      expect(after.sts.serialNumber).not.toBe(before.sts.serialNumber);
      expect(after.mx.subjectAltName).toBe(`DNS:${MAIL_HOST}`);

      // Once the redirect is gone the host no longer answers those names: they are not renewed.
      await redirect(null);
      now = new Date(new Date(issued(MAIL_HOST).validTo).getTime() - 29 * DAY_MS);
      const outcome = await renewal.check();
      expect(outcome).toEqual({
        renewed: [MTA_STS, MAIL_HOST],
        failed: [],
        skipped: WEB.map((name) => ({
          name,
          reason: expect.stringMatching(/^certs\.example has no web redirect \(redirectTo\)/),
        })),
      });
      expect(issued('www.certs.example').serialNumber).toBe(after.www.serialNumber);
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
