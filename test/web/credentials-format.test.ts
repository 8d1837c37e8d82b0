import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsColumns } from '../../src/core/credentials-csv.js';
import { parseCsv } from '../bulk/bulk-support.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';

const EMAIL = 'exports@example.net';

describe('credentials format picker in Chromium (SQLite)', () => {
  let page: Page;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ page, close } = await startConsoleInBrowser(EMAIL, async (h) => {
      await h.verifiedDomain(h.alice, 'example.com');
    }));
  }, 60_000);

  afterAll(() => close?.());

  it('downloads a bulk batch’s credentials in the Smartlead format picked beside the button', async () => {
    await signInWithForm(page, EMAIL);
    await page.goto('/mailboxes/new?domain=example.com');
    await page.getByRole('radio', { name: /^Bulk/ }).check();
    await page.getByLabel('Name').fill('Anna Berg');
    await page.getByLabel('Number of mailboxes').fill('2');
    await page.getByRole('button', { name: 'Preview addresses' }).click();
    await page.getByRole('button', { name: 'Create 2 mailboxes' }).click();
    await page.getByRole('heading', { name: '2 mailboxes created' }).waitFor();

    const format = page.getByLabel('Format');
    expect(await format.inputValue()).toBe('generic');
    await format.selectOption('smartlead');
    const button = page.getByRole('button', { name: 'Download credentials (CSV)' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^mailwright-credentials-.+-smartlead\.csv$/);
    const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(csv.header).toEqual(credentialsColumns('smartlead'));
    expect(csv.rows.map((r) => r.from_name)).toEqual(['Anna Berg', 'Anna Berg']);
    expect(await format.isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/credentials-format.png`, fullPage: true });
  });
});
