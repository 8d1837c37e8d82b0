import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';
import type { Harness } from '../support/harness.js';

const EMAIL = 'routes@example.net';

describe('Aliases and forwarding in Chromium (SQLite)', () => {
  let h: Harness;
  let page: Page;
  let close: (() => Promise<void>) | undefined;
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

  beforeAll(async () => {
    ({ h, page, close } = await startConsoleInBrowser(EMAIL, async (h) => {
      await h.verifiedDomain(h.alice, 'example.com');
      for (const localPart of ['josh', 'ann']) {
        await createMailbox(h.ctx, h.alice.actor, {
          name: 'Josh Smith',
          localPart,
          domain: 'example.com',
          password: { generate: true },
        });
      }
    }));
  }, 60_000);

  afterAll(() => close?.());

  it('adds an alias, with a reason per refused target line, and lists it', async () => {
    await signInWithForm(page, EMAIL);
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
