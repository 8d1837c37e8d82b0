import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';

const EMAIL = 'domain-relay@example.net';
const DOMAIN = 'example.com';
const OFFERED = '[smtp.relay.example]:587';

describe("a domain's own relay on the domain page in Chromium (SQLite)", () => {
  let page: Page;
  let h: Harness;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ page, h, close } = await startConsoleInBrowser(EMAIL, async (harness) => {
      harness.ctx.domainRelays = [OFFERED];
      await harness.verifiedDomain(harness.alice, DOMAIN);
      await harness.request('POST', `/v1/domains/${DOMAIN}/subdomains`, {
        body: { labels: 'sales' },
      });
    }));
  }, 60_000);

  afterAll(() => close?.());

  const panel = () => page.getByRole('region', { name: 'Outbound relay' });
  const field = () => panel().getByLabel('Relay host');
  const save = () => panel().getByRole('button', { name: 'Save relay' }).click();
  const relayHost = async (name: string) =>
    (await h.request('GET', `/v1/domains/${name}`)).body.relayHost as string | null;

  it('shows a relay without [host]:port, or one not offered, at its field and saves nothing', async () => {
    await signInWithForm(page, EMAIL);
    await page.goto(`/domains/${DOMAIN}`);
    for (const [value, says] of [
      ['smtp.relay.example:587', '[host]:port'],
      ['[other.relay.example]:587', OFFERED],
    ] as const) {
      await field().fill(value);
      await save();
      await expect.poll(() => panel().locator('.field-error').textContent()).toContain(says);
      expect(await field().getAttribute('aria-invalid')).toBe('true');
      expect(await relayHost(DOMAIN)).toBeNull();
    }
  });

  it('saves an offered relay, shows it after a reload, and an empty field removes it', async () => {
    await field().fill(OFFERED.toUpperCase());
    await save();
    await panel().getByText('Saved. New mail leaves the new way.').waitFor();
    expect(await relayHost(DOMAIN)).toBe(OFFERED);
    await page.reload();
    expect(await field().inputValue()).toBe(OFFERED);
    await page.screenshot({ path: `${SCREENSHOTS}/domain-relay.png`, fullPage: true });

    await field().fill('');
    await save();
    await panel().getByText('Saved. New mail leaves the new way.').waitFor();
    expect(await relayHost(DOMAIN)).toBeNull();
  });

  it("tells a sub-domain's page that an empty field follows its root", async () => {
    await page.goto(`/domains/sales.${DOMAIN}`);
    await expect.poll(() => panel().textContent()).toContain(`leave empty to follow ${DOMAIN}`);
  });
});
