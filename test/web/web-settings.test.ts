import { request as httpRequest } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';

const EMAIL = 'web-settings@example.net';
const DOMAIN = 'example.com';
const LANDING = 'https://www.example.net/landing';
/** Mailwright's web address as an operator configures it (MAILWRIGHT_WEB_IPV4). */
const WEB_IPV4 = '127.0.0.1';

/** A visitor's request to the console's server for `host`: its status and Location. */
function visit(origin: string, host: string) {
  const { hostname, port } = new URL(origin);
  return new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path: '/', headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The Type, Host and Value cells of each row of the DNS records table. */
async function recordRows(page: Page): Promise<string[][]> {
  const table = page.getByRole('table', { name: `DNS records for ${DOMAIN}` });
  return table
    .locator('tbody tr:not(.row-hint)')
    .evaluateAll((rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('td')]
          .slice(0, 3)
          .map((cell) => cell.querySelector('code')?.textContent ?? ''),
      ),
    );
}

describe('web redirect and tracking CNAME on the domain page in Chromium (SQLite)', () => {
  let page: Page;
  let h: Harness;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ page, h, close } = await startConsoleInBrowser(EMAIL, async (harness) => {
      harness.ctx.dnsSettings = { ...harness.ctx.dnsSettings, web: { ipv4: WEB_IPV4 } };
      await harness.verifiedDomain(harness.alice, DOMAIN);
    }));
  }, 60_000);

  afterAll(() => close?.());

  const panel = () => page.getByRole('region', { name: 'Web redirect and tracking' });
  const save = () => panel().getByRole('button', { name: 'Save web settings' }).click();

  it('shows a refused URL at its field and changes nothing', async () => {
    await signInWithForm(page, EMAIL);
    await page.goto(`/domains/${DOMAIN}`);
    await panel().getByLabel('Redirect to').fill('http://www.example.net/');
    await save();
    const field = panel().getByLabel('Redirect to');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await panel().locator('.field-error').textContent()).toContain('https://');
    expect(await field.evaluate((el) => el.matches(':focus'))).toBe(true);
    const domain = await h.request('GET', `/v1/domains/${DOMAIN}`);
    expect(domain.body).toMatchObject({ redirectTo: null, trackingCname: null });
  });

  it('saves a redirect and a tracking CNAME: the server redirects and the plan has the records', async () => {
    await panel().getByLabel('Redirect to').fill(LANDING);
    await panel().getByLabel('Tracking CNAME target').fill('Links.ESP.test');
    await save();
    await panel().getByText('Saved. Publish or check the DNS records below.').waitFor();
    expect(await panel().getByLabel('Redirect to').getAttribute('aria-invalid')).toBeNull();

    const domain = await h.request('GET', `/v1/domains/${DOMAIN}`);
    expect(domain.body).toMatchObject({ redirectTo: LANDING, trackingCname: 'links.esp.test' });
    for (const host of [DOMAIN, `www.${DOMAIN}`]) {
      expect(await visit(page.url(), host)).toEqual({ status: 301, location: LANDING });
    }

    // As the saved message says: the records below, checked, now include the web ones.
    await page.getByRole('button', { name: 'Check records' }).click();
    await page.getByText(/published as planned/).waitFor();
    expect(await recordRows(page)).toEqual(
      expect.arrayContaining([
        ['A', DOMAIN, WEB_IPV4],
        ['A', `www.${DOMAIN}`, WEB_IPV4],
        ['CNAME', `track.${DOMAIN}`, 'links.esp.test.'],
      ]),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/web-settings.png`, fullPage: true });
  });

  it('shows the saved settings after a reload, and empty fields remove them', async () => {
    await page.reload();
    expect(await panel().getByLabel('Redirect to').inputValue()).toBe(LANDING);
    expect(await panel().getByLabel('Tracking CNAME target').inputValue()).toBe('links.esp.test');

    await panel().getByLabel('Redirect to').fill('');
    await panel().getByLabel('Tracking CNAME target').fill('');
    await save();
    await panel().getByText('Saved. Publish or check the DNS records below.').waitFor();
    const domain = await h.request('GET', `/v1/domains/${DOMAIN}`);
    expect(domain.body).toMatchObject({ redirectTo: null, trackingCname: null });
    expect((await visit(page.url(), DOMAIN)).status).not.toBe(301);

    await page.reload();
    const hosts = (await recordRows(page)).map(([, host]) => host);
    expect(hosts).not.toContain(`track.${DOMAIN}`);
    expect(hosts).not.toContain(`www.${DOMAIN}`);
  });
});
