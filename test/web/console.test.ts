import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDomain } from '../../src/services/domains/add-domain.js';
import { setAccountLimits } from '../../src/services/accounts/set-account-limits.js';
import { getDnsPlan } from '../../src/services/dns-records/get-dns-plan.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { parseCsv } from '../bulk/bulk-support.js';
import {
  buildConsole,
  clipboard,
  descriptionOf,
  launchBrowser,
  type Browser,
} from '../support/browser.js';
import { createOperator, OPERATOR_PASSWORD } from '../support/console-session.js';
import { startHarness, type Harness } from '../support/harness.js';

const SCREENSHOTS = 'test-results/web-console';
const EMAIL = 'ops@example.net';
const COOLDOWN_SECONDS = 120;

/**
 * The console as an operator uses it: real Chromium, the real server on loopback with the
 * console built from the current source, a real DNS server answering the ownership record,
 * and the job runner carrying out bulk batches. The tests are one journey, in order.
 */
describe('web console in Chromium (SQLite)', () => {
  let h: Harness;
  let webRoot: string;
  let runner: JobRunner;
  let browser: Browser;
  let page: Page;

  const shot = (name: string) =>
    page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  const heading = (name: string | RegExp) => page.getByRole('heading', { name, level: 1 });

  beforeAll(async () => {
    webRoot = await buildConsole();
    h = await startHarness('sqlite', { webRoot });
    runner = new JobRunner(h.ctx);
    h.ctx.onJobQueued = () => runner.wake();
    runner.start();
    await createOperator(h, h.alice.actor, EMAIL);
    // A batch above 4 starts the cooldown, so a batch of 5 is enough to meet it.
    await setAccountLimits(h.ctx, {
      account: 'alice',
      changes: { cooldownThreshold: 4, cooldownSeconds: COOLDOWN_SECONDS },
      actor: 'test',
    });
    // A domain whose owner has not published its record yet.
    await addDomain(h.ctx, h.alice.actor, { name: 'example.org' });
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

  it('signs in with the keyboard alone, after a wrong password is refused', async () => {
    await page.goto('/');
    await heading('Sign in').waitFor();
    // The heading has focus: Tab reaches Email, then Password; Enter submits.
    await page.keyboard.press('Tab');
    await page.keyboard.type(EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password at all');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/email or password/i);

    await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
    await page.keyboard.press('Enter');
    await heading('Domains').waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).textContent()).toContain(
      'Mailboxes',
    );
    expect(await page.getByText(EMAIL).isVisible()).toBe(true);
    await shot('01-signed-in');
  });

  it('shows the API message and hint under "Domain name" for https://www.example.com/, then lands on the domain page', async () => {
    await page.getByRole('link', { name: 'Add Domain', exact: true }).click();
    await heading('Add Domain').waitFor();
    const field = page.getByLabel('Domain name');
    await field.fill('https://www.example.com/');
    await page.getByRole('button', { name: 'Add Domain' }).click();
    await page.getByText('Enter the domain name only, without https:// or www.').waitFor();

    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const description = await descriptionOf(field);
    expect(description).toContain(
      'Enter the domain name only, without https:// or www. — for example example.com.',
    );
    expect(description).toContain('Remove protocol/prefix values such as https:// or www.');
    // Focus is back on the field to fix it.
    expect(await field.evaluate((el) => el.matches(':focus'))).toBe(true);
    await shot('02-add-domain-hint');

    await field.fill('example.com');
    await page.getByRole('button', { name: 'Add Domain' }).click();
    await heading('example.com').waitFor();
    expect(new URL(page.url()).pathname).toBe('/domains/example.com');
  });

  it('verifies example.com against the DNS server: not found first, then verified once the copied TXT record is published', async () => {
    await page.getByRole('button', { name: 'Verify' }).click();
    const failure = page.getByRole('alert').filter({ hasText: 'Not verified yet' });
    await failure.waitFor();
    expect(await failure.textContent()).toContain(
      'Publish a TXT record at _mailwright.example.com',
    );
    await shot('03-verify-not-found');

    // What the operator would paste into the DNS host: the copied host and value.
    await page.getByRole('button', { name: 'Copy TXT host', exact: true }).click();
    const host = await clipboard(page);
    await page.getByRole('button', { name: 'Copy TXT value', exact: true }).click();
    const value = await clipboard(page);
    expect(host).toBe('_mailwright.example.com');
    h.dns.setTxt(host, [value]);

    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText('example.com is verified').waitFor();
    expect(await page.locator('.page-title-row .badge').textContent()).toBe('Verified');
  });

  it('checks the DNS records live, offers the zone file, and turns every record OK once published', async () => {
    await page.getByRole('button', { name: 'Check records' }).click();
    const summary = page.getByText(/^\d+ of \d+ records published as planned/);
    await summary.waitFor();
    const [, ok, total] = /^(\d+) of (\d+)/.exec((await summary.textContent()) ?? '')!;
    // Only the ownership record is published so far.
    expect(Number(ok)).toBe(1);
    expect(await page.getByRole('cell', { name: 'Missing' }).count()).toBe(Number(total) - 1);
    // The failing records now show on the domain's status.
    await page.locator('.page-title-row .badge', { hasText: 'DNS issues' }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download zone file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('example.com.zone');
    const zone = readFileSync((await download.path())!, 'utf8');
    expect(zone).toContain('_mailwright.example.com.');

    // The DNS host now serves what the zone file holds.
    const plan = await getDnsPlan(h.ctx, h.alice.actor, 'example.com');
    h.dns.publish(plan.records);
    await page.getByRole('button', { name: 'Check again' }).click();
    await page
      .getByText(`${plan.records.length} of ${plan.records.length} records published as planned`)
      .waitFor();
    await page.locator('.page-title-row .badge', { hasText: 'Verified' }).waitFor();
    await shot('04-domain-verified-dns-ok');
  });

  it('adds sub-domains sales and support, showing the hostnames live and why a bad label was rejected', async () => {
    await page.getByRole('link', { name: 'Add Sub-domain' }).click();
    await heading('Add Sub-domain').waitFor();
    const select = page.getByLabel('Select a domain');
    await select.locator('option', { hasText: 'example.org' }).waitFor({ state: 'attached' });
    expect(await select.inputValue()).toBe('example.com');
    // Roots only: the pending root is there, no sub-domain is.
    const options = await select.locator('option').allTextContents();
    expect(options.slice(1)).toEqual(['example.com', 'example.org (pending)']);

    const labels = page.getByLabel('Sub-domain labels');
    await labels.fill('sales\nSupport\nnorth_west');
    const preview = await descriptionOf(labels);
    expect(preview).toContain('sales.example.com');
    expect(preview).toContain('support.example.com');
    expect(preview).toContain('north_west.example.com');

    await page.getByRole('button', { name: 'Add sub-domains' }).click();
    await page.getByRole('heading', { name: '2 of 3 created' }).waitFor();
    const results = await page
      .getByRole('listitem')
      .filter({ hasText: /created|rejected/ })
      .allTextContents();
    expect(results).toEqual([
      'sales.example.com created',
      'support.example.com created',
      expect.stringMatching(/^north_west rejected: Remove "_"/),
    ]);
    // The rejected label stays in the box, ready to correct.
    expect(await labels.inputValue()).toBe('north_west\n');
    await shot('05-subdomains-added');
  });

  it('creates a single mailbox with a generated password, shown once with a copy button', async () => {
    await page.goto('/mailboxes/new');
    await heading('Add Mailbox').waitFor();
    await page.getByLabel('Name').fill('Josh Smith');
    expect(await page.getByRole('radio', { name: /^Single/ }).isChecked()).toBe(true);
    await page.getByLabel('Email local part').fill('josh');
    const domain = page.getByLabel('Domain', { exact: true });
    await domain.selectOption('example.com');
    expect(await page.locator('.suffix').textContent()).toBe('@example.com');
    // Pending domains are listed, disabled, with the reason.
    const pending = domain.locator('option', { hasText: 'example.org' });
    expect(await pending.textContent()).toBe('example.org — pending: verify ownership first');
    expect(await pending.isDisabled()).toBe(true);
    expect(await page.getByLabel('Generate random password automatically').isChecked()).toBe(true);
    expect(await page.getByLabel('Quota (MB)').inputValue()).toBe('1024');
    // The account's defaults for new mailboxes, to change for this one.
    const sending = page.getByRole('group', { name: 'Sending limits' });
    expect(await sending.getByLabel('Daily limit').inputValue()).toBe('500');
    expect(await sending.getByLabel('Hourly limit').inputValue()).toBe('100');
    await sending.getByLabel('Daily limit').fill('40');

    // Unticking the box asks for a password, with a strength meter.
    await page.getByLabel('Generate random password automatically').uncheck();
    const password = page.getByLabel('Password', { exact: true });
    expect(await password.getAttribute('required')).not.toBeNull();
    await password.fill('josh12345678');
    await page.getByText(/not accepted yet/).waitFor();
    await page.getByLabel('Generate random password automatically').check();
    expect(await password.count()).toBe(0);

    await page.getByRole('button', { name: 'Create mailbox' }).click();
    await page.getByRole('heading', { name: 'Mailbox created' }).waitFor();
    const secret = page.getByRole('region', { name: 'Password for josh@example.com' });
    expect(await secret.textContent()).toContain('You will not see this again.');
    await secret.getByRole('button', { name: 'Copy password' }).click();
    const copied = await clipboard(page);
    expect(copied).toMatch(/^[A-Za-z2-9]{24}$/);
    expect(await secret.locator('code').textContent()).toBe(copied);
    await shot('06-single-mailbox-created');
  });

  it('creates a bulk batch of 5 on sales.example.com: preview, confirmation, progress and a one-time CSV', async () => {
    await page.getByRole('button', { name: 'Add another mailbox' }).click();
    await page.getByRole('radio', { name: /^Bulk/ }).check();
    expect(await page.getByLabel('Email local part').count()).toBe(0);
    await page.getByLabel('Name').fill('Anna Berg');
    await page.getByLabel('Domain', { exact: true }).selectOption('sales.example.com');
    const count = page.getByLabel('Number of mailboxes');
    await count.fill('5');
    // The account's maxBulkCount, beside the field.
    await page.getByText('Limit: 10 per request').waitFor();

    await page.getByRole('button', { name: 'Preview addresses' }).click();
    await page.getByRole('heading', { name: 'Review 5 addresses' }).waitFor();
    const addresses = await page
      .getByRole('list', { name: 'Addresses to create' })
      .getByRole('listitem')
      .allTextContents();
    expect(addresses).toHaveLength(5);
    expect(addresses.every((a) => a.endsWith('@sales.example.com'))).toBe(true);
    expect(await page.getByText('This batch starts a cooldown').isVisible()).toBe(true);
    // Nothing is written before the confirmation.
    expect((await h.request('GET', '/v1/mailboxes?domain=sales.example.com')).body.items).toEqual(
      [],
    );
    await shot('07-bulk-preview');

    await page.getByRole('button', { name: 'Create 5 mailboxes' }).click();
    const progress = page.getByRole('progressbar', { name: 'Mailboxes created' });
    await progress.waitFor();
    expect(await progress.getAttribute('aria-valuemax')).toBe('5');
    await page.getByRole('heading', { name: '5 mailboxes created' }).waitFor();
    expect(await progress.getAttribute('aria-valuenow')).toBe('5');
    expect(await page.getByText('5 / 5 created').isVisible()).toBe(true);

    const button = page.getByRole('button', { name: 'Download credentials (CSV)' });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^mailwright-credentials-.+\.csv$/);
    const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(csv.rows.map((r) => r.email)).toEqual(addresses);
    expect(csv.rows.every((r) => /^[A-Za-z2-9]{24}$/.test(r.password ?? ''))).toBe(true);
    // Once only: the button is spent and the server erases the passwords.
    expect(await button.isDisabled()).toBe(true);
    await page.getByText('The server erases its copy').waitFor();
    await shot('08-bulk-done');
  });

  it('shows the cooldown as a disabled submit button with a live countdown', async () => {
    await page.getByRole('button', { name: 'Create another batch' }).click();
    await page.getByLabel('Name').fill('Maria Lopez');
    await page.getByLabel('Domain', { exact: true }).selectOption('support.example.com');
    await page.getByLabel('Number of mailboxes').fill('2');
    const submit = page.getByRole('button', { name: /^Available in \d+:\d\d$/ });
    await submit.waitFor();
    expect(await submit.isDisabled()).toBe(true);
    const seconds = async () => {
      const [, m, s] = /(\d+):(\d\d)$/.exec((await submit.textContent()) ?? '')!;
      return Number(m) * 60 + Number(s);
    };
    const first = await seconds();
    // Counted from when the batch was queued, moments ago.
    expect(first).toBeGreaterThan(COOLDOWN_SECONDS - 60);
    expect(first).toBeLessThanOrEqual(COOLDOWN_SECONDS);
    await page.waitForTimeout(1_600);
    expect(await seconds()).toBeLessThan(first);
    expect(await page.getByText('A cooldown follows a large batch').isVisible()).toBe(true);
    await shot('09-cooldown');
  });

  it('lists roots with their sub-domains nested, status badges and mailbox usage', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Domains' })
      .click();
    await heading('Domains').waitFor();
    await page.getByRole('row', { name: /example\.org/ }).waitFor();
    const rows = await page.getByRole('row').allInnerTexts();
    const cells = rows.slice(1).map((row) => row.split('\t').map((cell) => cell.trim()));
    // The first column is the selection checkbox, which has no text.
    expect(cells.map((c) => c.slice(1, 4))).toEqual([
      ['example.com', 'Verified', '1 / 10'],
      ['sales.example.com', 'Verified', '5 / 10'],
      ['support.example.com', 'Verified', '0 / 10'],
      ['example.org', 'Pending', '0 / 10'],
    ]);
    await shot('10-domains');
  });

  it('searches and pages mailboxes, and disables, resizes, resets and deletes one', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Mailboxes' })
      .click();
    await heading('Mailboxes').waitFor();
    await page.getByRole('cell', { name: 'josh@example.com' }).waitFor();
    expect(await page.getByRole('row').count()).toBe(1 + 6);
    await shot('11-mailboxes');

    await page.getByLabel('Search by address').fill('josh@');
    // The prefix search leaves only josh@example.com.
    await page
      .getByRole('cell', { name: /@sales\.example\.com$/ })
      .first()
      .waitFor({ state: 'detached' });
    expect(await page.getByRole('row').count()).toBe(1 + 1);
    const row = page.getByRole('row', { name: /josh@example\.com/ });

    await row.getByRole('button', { name: 'Disable josh@example.com' }).click();
    await row.getByText('Disabled').waitFor();

    await row.getByRole('button', { name: 'Change quota of josh@example.com' }).click();
    const quota = page.getByRole('dialog', { name: 'Change quota of josh@example.com' });
    await quota.getByLabel('Quota (MB)').fill('5');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await quota.getByText(/from 10 to 102400/).waitFor();
    await quota.getByLabel('Quota (MB)').fill('2048');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await row.getByRole('cell', { name: '2 GB' }).waitFor();

    // The daily limit chosen when it was created.
    await row.getByRole('cell', { name: '0 / 40' }).waitFor();
    await row.getByRole('button', { name: 'Change sending limits of josh@example.com' }).click();
    const sending = page.getByRole('dialog', { name: 'Sending limits of josh@example.com' });
    await sending.getByLabel('Daily limit').fill('-1');
    await sending.getByRole('button', { name: 'Save limits' }).click();
    await sending.getByText(/from 0 to 100000 \(0 stops sending\)/).waitFor();
    await sending.getByLabel('Daily limit').fill('30');
    await sending.getByLabel(/Warm up/).check();
    await sending.getByLabel('First day').fill('10');
    await sending.getByLabel('Added per day').fill('3');
    await sending.getByLabel('Up to').fill('40');
    await shot('12-mailbox-sending-limits');
    await sending.getByRole('button', { name: 'Save limits' }).click();
    await row.getByRole('cell', { name: '0 / 10' }).waitFor();

    // Many at once: every mailbox of example.com, previewed, then applied as a job.
    await page.getByRole('button', { name: 'Set sending limits' }).click();
    const many = page.getByRole('dialog', { name: 'Set sending limits' });
    await many.getByLabel('Domain', { exact: true }).selectOption('example.com');
    await many.getByLabel('Daily limit').fill('45');
    await many.getByRole('button', { name: 'Preview' }).click();
    const preview = many.getByRole('table', { name: 'Preview' });
    await preview.getByRole('row', { name: /josh@example\.com .*30\/day.* 45\/day/ }).waitFor();
    await many.getByRole('button', { name: /^Apply to \d+ mailbox/ }).click();
    await many.getByText(/updated\.$/).waitFor();
    await many.getByRole('button', { name: 'Done' }).click();
    await row.getByRole('cell', { name: '0 / 45' }).waitFor();

    // Forward every mailbox of example.com at once: previewed, then applied as a job.
    await page.getByRole('button', { name: 'Forward mailboxes' }).click();
    const forward = page.getByRole('dialog', { name: 'Forward mailboxes' });
    await forward.getByLabel('Domain', { exact: true }).selectOption('example.com');
    await forward.getByLabel('Forward to').fill('replies@partner.example');
    await forward.getByRole('button', { name: 'Preview' }).click();
    await forward
      .getByRole('table', { name: 'Preview' })
      .getByRole('row', {
        name: /josh@example\.com keeps its mail → replies@partner\.example, keeping a copy/,
      })
      .waitFor();
    await forward.getByRole('button', { name: /^Apply to \d+ mailbox/ }).click();
    await forward.getByText(/updated\.$/).waitFor();
    await forward.getByRole('button', { name: 'Done' }).click();
    await row.getByText('Forwarding…').waitFor();

    await row.getByRole('button', { name: 'Reset password of josh@example.com' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset password of josh@example.com' });
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await reset.getByText('You will not see this again.').waitFor();
    expect(await reset.locator('code').textContent()).toMatch(/^[A-Za-z2-9]{24}$/);
    await shot('12-mailbox-password-reset');
    await reset.getByRole('button', { name: 'Done' }).click();

    // The delete confirmation by keyboard: Escape backs out to the button that opened it, and
    // the dialog starts on Cancel, so a stray Enter deletes nothing.
    const remove = row.getByRole('button', { name: 'Delete josh@example.com' });
    const confirm = page.getByRole('dialog', { name: 'Delete josh@example.com?' });
    await remove.click();
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await remove.evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    expect(
      await confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el.matches(':focus')),
    ).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('josh@example.com deleted.').waitFor();
    // The row and its button are gone; focus is on the outcome, not lost to the page's top.
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: 'josh@example.com deleted.' })
        .evaluate((el) => el.parentElement!.matches(':focus')),
    ).toBe(true);
    expect((await h.request('GET', '/v1/mailboxes/josh@example.com')).status).toBe(404);
  });

  it('shows the audit log, newest first', async () => {
    await page.getByRole('link', { name: 'Activity' }).click();
    await heading('Activity').waitFor();
    const first = page.getByRole('row').nth(1);
    await first.getByText('Mailbox deleted').waitFor();
    expect(await first.textContent()).toContain('josh@example.com');
    expect(await page.getByRole('cell', { name: /Domain verified/ }).count()).toBe(1);
    await shot('13-activity');
  });

  it('creates an API token shown once that works with the API, and revokes it', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await heading('API tokens').waitFor();
    await page.getByLabel('Label').fill('billing sync');
    await page.getByRole('checkbox', { name: /^admin/ }).uncheck();
    await page.getByRole('checkbox', { name: /^domains:read/ }).check();
    await page.getByLabel('Only these domains (optional)').fill('example.com');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByRole('region', { name: 'Token "billing sync"' });
    await secret.getByText('You will not see this again.').waitFor();
    const token = (await secret.locator('code').textContent())!;
    const domains = await h.request('GET', '/v1/domains', { token });
    expect(domains.status).toBe(200);
    for (const d of domains.body.items) expect(d.name).toMatch(/(^|\.)example\.com$/);
    const refused = await h.request('GET', '/v1/mailboxes', { token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    await page
      .getByRole('row', { name: /billing sync.*domains:read — only example\.com/ })
      .waitFor();
    await shot('14-api-token');

    await page.getByRole('button', { name: 'Revoke billing sync' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke "billing sync"?' })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await page.getByText('Token "billing sync" revoked.').waitFor();
    expect((await h.request('GET', '/v1/domains', { token })).status).toBe(401);
  });

  it('signs out, and a reload stays signed out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading('Sign in').waitFor();
    await page.reload();
    await heading('Sign in').waitFor();
    await shot('15-signed-out');
    expect(browser.problems).toEqual([]);
  });
});
