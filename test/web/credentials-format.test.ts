import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsColumns } from '../../src/core/credentials-csv.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { parseCsv } from '../bulk/bulk-support.js';
import { buildConsole, launchBrowser, type Browser } from '../support/browser.js';
import { createOperator, OPERATOR_PASSWORD } from '../support/console-session.js';
import { startHarness, type Harness } from '../support/harness.js';

const SCREENSHOTS = 'test-results/web-console';
const EMAIL = 'exports@example.net';

describe('credentials format picker in Chromium (SQLite)', () => {
  let h: Harness;
  let webRoot: string;
  let runner: JobRunner;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    webRoot = await buildConsole();
    h = await startHarness('sqlite', { webRoot });
    runner = new JobRunner(h.ctx);
    h.ctx.onJobQueued = () => runner.wake();
    runner.start();
    await createOperator(h, h.alice.actor, EMAIL);
    await h.verifiedDomain(h.alice, 'example.com');
    const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser(url);
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await runner?.stop();
    await h?.close();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  it('downloads a bulk batch’s credentials in the Smartlead format picked beside the button', async () => {
    await page.goto('/');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Domains', level: 1 }).waitFor();
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
