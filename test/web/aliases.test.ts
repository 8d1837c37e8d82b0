import { mkdirSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { buildConsole, launchBrowser, type Browser } from '../support/browser.js';
import { createOperator, OPERATOR_PASSWORD } from '../support/console-session.js';
import { startHarness, type Harness } from '../support/harness.js';

const SCREENSHOTS = 'test-results/web-console';
const EMAIL = 'routes@example.net';

describe('Aliases and forwarding in Chromium (SQLite)', () => {
  let h: Harness;
  let webRoot: string;
  let browser: Browser;
  let page: Page;
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

  beforeAll(async () => {
    webRoot = await buildConsole();
    h = await startHarness('sqlite', { webRoot });
    await createOperator(h, h.alice.actor, EMAIL);
    await h.verifiedDomain(h.alice, 'example.com');
    for (const localPart of ['josh', 'ann']) {
      await createMailbox(h.ctx, h.alice.actor, {
        name: 'Josh Smith',
        localPart,
        domain: 'example.com',
        password: { generate: true },
      });
    }
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

  it('adds an alias, with a reason per refused target line, and lists it', async () => {
    await page.goto('/');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await page.keyboard.press('Enter');
    await heading('Domains').waitFor();
    await page.getByRole('link', { name: 'Aliases' }).click();
    await heading('Aliases').waitFor();

    await page.getByLabel('Address', { exact: true }).fill('sales@example.com');
    const targets = page.getByLabel('Deliver to');
    await targets.fill('josh@example.com\nnot an address\n');
    await page.getByRole('button', { name: 'Add alias' }).click();
    const lines = page.getByRole('list', { name: 'Targets' }).getByRole('listitem');
    await lines.first().waitFor();
    expect(await lines.allTextContents()).toEqual([
      'josh@example.com accepted',
      expect.stringMatching(/^not an address rejected: /),
    ]);

    await targets.fill('josh@example.com\nann@partner.example\n');
    await page.getByRole('button', { name: 'Add alias' }).click();
    await page
      .getByText('sales@example.com now delivers to josh@example.com, ann@partner.example.')
      .waitFor();
    const row = page.getByRole('row').filter({ hasText: 'sales@example.com' });
    await row.waitFor();
    expect(await row.textContent()).toContain('ann@partner.example');
    await page.screenshot({ path: `${SCREENSHOTS}/aliases.png`, fullPage: true });

    await page.getByRole('button', { name: 'Remove sales@example.com' }).click();
    await page.getByRole('button', { name: 'Remove alias' }).click();
    await page.getByText('sales@example.com removed.').waitFor();
    // The list reloads after the message: gone once the reloaded rows replace the old ones.
    await row.waitFor({ state: 'detached' });
  });

  it('forwards a mailbox from its row', async () => {
    await page.getByRole('link', { name: 'Mailboxes' }).click();
    await heading('Mailboxes').waitFor();
    await page.getByRole('button', { name: 'Change forwarding of josh@example.com' }).click();
    await page.getByLabel('Forward to').fill('ann@example.com');
    await page.getByLabel('Keep a copy in this mailbox').uncheck();
    await page.getByRole('button', { name: 'Save forwarding' }).click();
    await page.getByText('josh@example.com forwards to ann@example.com.').waitFor();
    const detail = await h.request('GET', '/v1/mailboxes/josh@example.com');
    expect(detail.body.forwarding).toEqual({ to: ['ann@example.com'], keepCopy: false });
  });
});
