import { mkdirSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { buildConsole, descriptionOf, launchBrowser, type Browser } from '../support/browser.js';
import { createOperator, OPERATOR_PASSWORD } from '../support/console-session.js';
import { startHarness, type Harness } from '../support/harness.js';

const SCREENSHOTS = 'test-results/web-console';
const EMAIL = 'fleet@example.net';

describe('Add Domains in Chromium (SQLite)', () => {
  let h: Harness;
  let webRoot: string;
  let browser: Browser;
  let page: Page;
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

  beforeAll(async () => {
    webRoot = await buildConsole();
    h = await startHarness('sqlite', { webRoot });
    await createOperator(h, h.alice.actor, EMAIL);
    await addDomain(h.ctx, h.alice.actor, { name: 'taken.example' });
    const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser(url);
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (webRoot) rmSync(webRoot, { recursive: true, force: true });
  });

  it('adds a textarea of domains with a result per line, keeping the refused ones', async () => {
    await page.goto('/');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await page.keyboard.press('Enter');
    await heading('Domains').waitFor();
    await page.getByRole('link', { name: 'Add Domains' }).click();
    await heading('Add Domains').waitFor();

    const names = page.getByLabel('Domain names');
    await names.fill('one.example\nwww.two.example\n\nthree.example\ntaken.example\nONE.example');
    const preview = await descriptionOf(names);
    expect(preview).toContain('5 domains to add');
    expect(preview).toContain('ONE.example listed twice: added once');

    await page.getByRole('button', { name: 'Add Domains' }).click();
    await page.getByRole('heading', { name: '2 of 5 added' }).waitFor();
    const results = await page
      .getByRole('listitem')
      .filter({ hasText: /added|rejected/ })
      .allTextContents();
    expect(results).toEqual([
      'one.example added: publish TXT _mailwright.one.example',
      expect.stringMatching(/^www\.two\.example rejected: .*www/),
      'three.example added: publish TXT _mailwright.three.example',
      expect.stringMatching(/^taken\.example rejected: You have already added taken\.example/),
      expect.stringMatching(/^ONE\.example rejected: one\.example appears on an earlier line/),
    ]);
    expect(await names.inputValue()).toBe('www.two.example\ntaken.example\nONE.example\n');
    await page.screenshot({ path: `${SCREENSHOTS}/add-domains-results.png`, fullPage: true });
  });
});
