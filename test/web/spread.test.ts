import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../bulk/bulk-support.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';
import type { Harness } from '../support/harness.js';

const EMAIL = 'spread@example.net';
const DOMAINS = ['one.example', 'two.example', 'three.example'];

describe('Add Mailbox in Spread mode in Chromium (SQLite)', () => {
  let h: Harness;
  let page: Page;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ h, page, close } = await startConsoleInBrowser(EMAIL, async (h) => {
      for (const d of DOMAINS) await h.verifiedDomain(h.alice, d);
    }));
  }, 60_000);

  afterAll(() => close?.());

  it('previews personas on each domain, creates them as one job and downloads one CSV', async () => {
    await signInWithForm(page, EMAIL);
    await page.goto('/mailboxes/new');
    await page.getByRole('heading', { name: 'Add Mailbox', level: 1 }).waitFor();

    await page.getByRole('radio', { name: /^Spread/ }).check();
    expect(await page.getByLabel('Name', { exact: true }).count()).toBe(0);
    await page.getByLabel('Personas', { exact: true }).fill('Josh Smith\nMary Jones\nTom Brown');
    await page
      .getByLabel('Domains', { exact: true })
      .selectOption(['one.example', 'three.example']);
    await page.getByLabel('Mailboxes per domain', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Preview addresses' }).click();

    await page.getByRole('heading', { name: 'Review 4 addresses' }).waitFor();
    const listed = (domain: string) =>
      page
        .getByRole('list', { name: `Addresses to create on ${domain}` })
        .getByRole('listitem')
        .allTextContents();
    expect(await listed('one.example')).toEqual(['josh@one.example', 'mary@one.example']);
    expect(await listed('three.example')).toEqual(['tom@three.example', 'josh@three.example']);
    expect(await page.getByText('Mailboxes on three.example').isVisible()).toBe(true);
    expect((await h.request('GET', '/v1/mailboxes')).body.items).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/spread-preview.png`, fullPage: true });

    await page.getByRole('button', { name: 'Create 4 mailboxes' }).click();
    await page.getByRole('heading', { name: '4 mailboxes created' }).waitFor();
    const button = page.getByRole('button', { name: 'Download credentials (CSV)' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(csv.rows.map((r) => r.email)).toEqual([
      'josh@one.example',
      'mary@one.example',
      'tom@three.example',
      'josh@three.example',
    ]);
  });
});
