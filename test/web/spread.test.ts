import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { parseCsv } from '../bulk/bulk-support.js';
import { buildConsole, launchBrowser, type Browser } from '../support/browser.js';
import { createOperator, OPERATOR_PASSWORD } from '../support/console-session.js';
import { startHarness, type Harness } from '../support/harness.js';

const SCREENSHOTS = 'test-results/web-console';
const EMAIL = 'spread@example.net';
const DOMAINS = ['one.example', 'two.example', 'three.example'];

describe('Add Mailbox in Spread mode in Chromium (SQLite)', () => {
  let h: Harness;
  let webRoot: string;
  let browser: Browser;
  let page: Page;
  let runner: JobRunner;

  beforeAll(async () => {
    webRoot = await buildConsole();
    h = await startHarness('sqlite', { webRoot });
    runner = new JobRunner(h.ctx);
    h.ctx.onJobQueued = () => runner.wake();
    runner.start();
    await createOperator(h, h.alice.actor, EMAIL);
    for (const d of DOMAINS) await h.verifiedDomain(h.alice, d);
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

  it('previews personas on each domain, creates them as one job and downloads one CSV', async () => {
    await page.goto('/');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Domains', level: 1 }).waitFor();
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
