import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { descriptionOf } from '../support/browser.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';

const EMAIL = 'fleet@example.net';

describe('Add Domains in Chromium (SQLite)', () => {
  let page: Page;
  let close: (() => Promise<void>) | undefined;
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

  beforeAll(async () => {
    ({ page, close } = await startConsoleInBrowser(EMAIL, async (h) => {
      await addDomain(h.ctx, h.alice.actor, { name: 'taken.example' });
    }));
  }, 60_000);

  afterAll(() => close?.());

  it('adds a textarea of domains with a result per line, keeping the refused ones', async () => {
    await signInWithForm(page, EMAIL);
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
