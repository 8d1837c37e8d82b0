import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateAuthorityFor } from '../../src/app/certificates.js';
import { loadConfig } from '../../src/app/config.js';
import { startChallengeListener } from '../../src/certificates/acme-challenges.js';
import { startAcmeCa, type AcmeCa } from '../support/acme-ca.js';
import { TEST_DNS_SETTINGS } from '../support/context.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';
import type { Harness } from '../support/harness.js';

const EMAIL = 'certs@example.net';
const MAIL_HOST = TEST_DNS_SETTINGS.mailHost;
const MTA_STS = 'mta-sts.example.com';
const WEB = ['example.com', 'www.example.com'];

/**
 * The Certificates panel of a domain page in Chromium, against a real ACME CA (pebble on
 * loopback) that validates HTTP-01 on the server's port-80 listener, as the running server has
 * it: a server without a CA says so, then the operator obtains and renews the MTA-STS host's
 * certificate beside the mail host's.
 */
describe('the Certificates panel in Chromium (SQLite)', () => {
  let h: Harness;
  let page: Page;
  let close: (() => Promise<void>) | undefined;
  let ca: AcmeCa | undefined;
  let port80: { close(): Promise<void> } | undefined;
  const panel = () => page.getByRole('region', { name: 'Certificates' });

  beforeAll(async () => {
    ({ h, page, close } = await startConsoleInBrowser(EMAIL, async (h) => {
      await h.verifiedDomain(h.alice, 'example.com');
    }));
  }, 120_000);

  afterAll(async () => {
    await port80?.close();
    await ca?.close();
    await close?.();
  });

  it('says the server keeps no certificates when it has no CA', async () => {
    await signInWithForm(page, EMAIL);
    await page.getByRole('link', { name: 'example.com', exact: true }).click();
    await page.getByRole('heading', { name: 'example.com', level: 1 }).waitFor();
    await panel().getByRole('alert').waitFor();
    expect(await panel().getByRole('alert').textContent()).toContain(
      'This server keeps no certificates of its own (no data dir).',
    );
  });

  it('obtains the MTA-STS host’s certificate from the CA and lists it with the mail host’s', async () => {
    ca = await startAcmeCa(h.dns, [MAIL_HOST, MTA_STS, ...WEB]);
    const config = loadConfig({ ...ca.env, MAILWRIGHT_MAIL_HOST: MAIL_HOST });
    // The harness's app reads ctx at each request: the CA joins it as the server's does at start.
    h.ctx.certificates = certificateAuthorityFor(config);
    port80 = await startChallengeListener(ca.dataDir, config.httpListen!);
    await h.ctx.certificates.issue(MAIL_HOST);

    await page.reload();
    const items = panel().getByRole('listitem');
    await items.first().waitFor();
    expect(await items.allTextContents()).toEqual([
      expect.stringMatching(`^${MAIL_HOST} valid until`),
    ]);
    const obtain = panel().getByRole('button', { name: `Obtain a certificate for ${MTA_STS}` });
    await obtain.click();
    const renew = panel().getByRole('button', { name: `Renew ${MTA_STS} now` });
    await renew.waitFor({ timeout: 60_000 });

    // What the panel shows is what the CA issued and the API lists.
    const listed = (await h.request('GET', '/v1/certificates')).body.items as {
      name: string;
      daysLeft: number;
    }[];
    const issued = listed.find((c) => c.name === MTA_STS)!;
    expect(issued.daysLeft).toBeGreaterThan(30);
    const shown = await items.allTextContents();
    expect(shown).toHaveLength(2);
    expect(shown.find((t) => t.startsWith(MTA_STS))).toMatch(
      // The console writes numbers as the browser's locale does (Chromium here: en-US, 1,825).
      new RegExp(
        `valid until .* \\(${new Intl.NumberFormat('en-US').format(issued.daysLeft)} days left\\)$`,
      ),
    );
    expect(await panel().textContent()).toContain(
      'Certificates are renewed 30 days before they expire.',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/certificates.png`, fullPage: true });
  }, 120_000);

  it('renews it on demand: the CA issues a new certificate, which the panel lists', async () => {
    const chain = join(ca!.dataDir, 'certs', MTA_STS, 'fullchain.pem');
    const before = readFileSync(chain, 'utf8');
    await panel()
      .getByRole('button', { name: `Renew ${MTA_STS} now` })
      .click();
    // Busy while the CA validates and issues, then the button is back.
    const busy = panel().getByRole('button', { name: 'Obtaining…' });
    await busy.waitFor();
    await busy.waitFor({ state: 'detached', timeout: 60_000 });
    expect(await panel().getByRole('alert').count()).toBe(0);
    expect(readFileSync(chain, 'utf8')).not.toBe(before);
    expect(await panel().getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(`^${MAIL_HOST} valid until`),
      expect.stringMatching(`^${MTA_STS} valid until`),
    ]);
  }, 120_000);

  it('gets the certificates of a redirected domain and its www. host, listed beside the others', async () => {
    // A web address, so the domain may redirect (docs/dns.md); the app reads ctx per request.
    h.ctx.dnsSettings = { ...h.ctx.dnsSettings, web: { ipv4: '127.0.0.1' } };
    const web = `Get certificates for ${WEB.join(' and ')}`;
    expect(await panel().getByRole('button', { name: web }).count()).toBe(0);
    const set = await h.request('PATCH', '/v1/domains/example.com', {
      body: { redirectTo: 'https://www.example.net/' },
    });
    expect(set.status).toBe(200);

    await page.reload();
    await panel().getByRole('button', { name: web }).click();
    await panel()
      .getByRole('button', { name: `Renew ${WEB.join(' and ')} now` })
      .waitFor({ timeout: 60_000 });
    expect(await panel().getByRole('alert').count()).toBe(0);
    expect(await panel().getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^example\.com valid until/),
      expect.stringMatching(`^${MAIL_HOST} valid until`),
      expect.stringMatching(`^${MTA_STS} valid until`),
      expect.stringMatching(/^www\.example\.com valid until/),
    ]);
    for (const name of WEB) {
      expect(readFileSync(join(ca!.dataDir, 'certs', name, 'fullchain.pem'), 'utf8')).toMatch(
        /BEGIN CERTIFICATE/,
      );
    }
  }, 120_000);
});
