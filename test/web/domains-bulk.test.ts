import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';

const EMAIL = 'fleet-ops@example.net';

describe('bulk verify and DNS export on the domains list in Chromium (SQLite)', () => {
  let page: Page;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ page, close } = await startConsoleInBrowser(EMAIL, async (h) => {
      for (const name of ['one.example', 'two.example', 'three.example']) {
        const domain = await addDomain(h.ctx, h.alice.actor, { name });
        // two.example's ownership record is never published.
        if (name !== 'two.example') {
          h.dns.setTxt(domain.verification.host, [domain.verification.value]);
        }
      }
      await verifyDomain(h.ctx, h.alice.actor, 'one.example');
      for (const name of ['Ada Berg', 'Bo Lund']) {
        await createMailbox(h.ctx, h.alice.actor, {
          name,
          localPart: name.split(' ')[0]!.toLowerCase(),
          domain: 'one.example',
          password: { generate: true },
        });
      }
    }));
  }, 60_000);

  afterAll(() => close?.());

  it('verifies every pending domain as one job with a line per domain', async () => {
    await signInWithForm(page, EMAIL);
    await page.getByRole('button', { name: 'Verify (pending)' }).click();
    await page.getByRole('heading', { name: '1 of 2 verified' }).waitFor();
    const results = page.getByRole('list', { name: 'Result per domain' }).getByRole('listitem');
    expect(await results.allTextContents()).toEqual([
      'three.example verified',
      expect.stringMatching(/^two\.example Publish a TXT record at _mailwright\.two\.example/),
    ]);
    await page.screenshot({ path: `${SCREENSHOTS}/domains-bulk-verify.png`, fullPage: true });
  });

  it('downloads the selected domains’ zone files and records.csv as one zip', async () => {
    await page.getByRole('checkbox', { name: 'Select two.example' }).check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export DNS (1 selected)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('mailwright-dns.zip');
    const files = unzipSync(readFileSync((await download.path())!));
    expect(Object.keys(files).sort()).toEqual(['records.csv', 'zones/two.example.zone']);
  });

  it('exports existing mailboxes after saying they get new passwords, with the format picker', async () => {
    await page.getByRole('checkbox', { name: 'Select two.example' }).uncheck();
    await page.getByRole('checkbox', { name: 'Select one.example' }).check();
    await page.getByRole('button', { name: 'Export mailboxes (1 selected)' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toContain('2 mailboxes will get a new password');
    await dialog.getByRole('button', { name: 'Export with new passwords' }).click();
    await page.getByRole('heading', { name: '2 mailboxes changed' }).waitFor();
    await page.getByLabel('Format').selectOption('instantly');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download credentials (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^Email,First Name,Last Name,/);
    expect(csv.split('\r\n').filter((l) => l.includes('@one.example'))).toHaveLength(2);
  });
});
