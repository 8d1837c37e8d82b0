import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOTP, URI } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/core/password-hash.js';
import { createMailbox } from '../../src/services/mailboxes/create-mailbox.js';
import { OPERATOR_PASSWORD } from '../support/console-session.js';
import { SCREENSHOTS, signInWithForm, startConsoleInBrowser } from '../support/console-browser.js';
import type { Harness } from '../support/harness.js';

const EMAIL = 'trust@example.net';

/**
 * The console's trust-boundary pages in Chromium (SQLite): a mailbox's app passwords, webhook
 * endpoints with their delivery log, and two-factor sign-in from enrolment to a recovery code.
 */
describe('App passwords, webhooks and two-factor sign-in in Chromium (SQLite)', () => {
  let h: Harness;
  let page: Page;
  let close: (() => Promise<void>) | undefined;
  let receiver: Server;
  let received = 0;
  const heading = (name: string) => page.getByRole('heading', { name, level: 1 });

  beforeAll(async () => {
    ({ h, page, close } = await startConsoleInBrowser(EMAIL, async (h) => {
      await h.verifiedDomain(h.alice, 'example.com');
      for (const localPart of ['josh', 'gone']) {
        await createMailbox(h.ctx, h.alice.actor, {
          name: 'Josh Smith',
          localPart,
          domain: 'example.com',
          password: { generate: true },
        });
      }
      // Deliveries go only to this receiver on 127.0.0.1.
      h.ctx.webhookAllowPrivate = true;
    }));
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received += 1;
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await close?.();
  });

  it('generates an app password shown once, lists it and revokes it', async () => {
    await signInWithForm(page, EMAIL);
    await page.getByRole('link', { name: 'Mailboxes' }).click();
    await heading('Mailboxes').waitFor();
    await page.getByRole('button', { name: 'App passwords of josh@example.com' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Label').fill('phone');
    await dialog.getByRole('button', { name: 'Generate app password' }).click();
    const secret = dialog.locator('[data-secret]');
    await secret.waitFor();
    const password = (await secret.textContent())!;
    expect(password).toMatch(/^[a-z2-9]{8}[A-Za-z2-9]{24}$/);
    const { password_hash } = await h.ctx.store.db
      .selectFrom('mailbox_app_passwords')
      .select('password_hash')
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(password, password_hash)).toBe(true);
    const row = dialog.getByRole('row').filter({ hasText: 'phone' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Never');
    await page.screenshot({ path: `${SCREENSHOTS}/app-passwords.png`, fullPage: true });

    await dialog.getByRole('button', { name: 'Revoke phone' }).click();
    await page.getByRole('button', { name: 'Revoke app password' }).click();
    await page.getByText('App password "phone" revoked.').waitFor();
    await page.getByText('No app passwords yet.').waitFor();
    expect(await h.ctx.store.db.selectFrom('mailbox_app_passwords').selectAll().execute()).toEqual(
      [],
    );
    await page.getByRole('button', { name: 'Done' }).click();
  }, 120_000);

  it('adds a webhook endpoint, lists it and shows its delivery', async () => {
    const { port } = receiver.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/hook`;
    await page.getByRole('link', { name: 'API tokens' }).click();
    await heading('API tokens').waitFor();
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByRole('checkbox', { name: /mailbox\.deleted/ }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = page.getByRole('region', { name: `Signing secret of ${url}` });
    await secret.waitFor();
    expect(await secret.locator('[data-secret]').textContent()).toMatch(/^whsec_/);
    const row = page.getByRole('row').filter({ hasText: url });
    await row.waitFor();
    expect(await row.textContent()).toContain('mailbox.deleted');

    // An event the endpoint subscribes to; the server's job runner delivers it.
    expect((await h.request('DELETE', '/v1/mailboxes/gone@example.com')).status).toBe(204);
    await expect.poll(() => received, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('heading', { name: `Deliveries to ${url}` });
    await log.waitFor();
    await page.getByText(/mailbox\.deleted: delivered after 1 attempt/).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/webhooks.png`, fullPage: true });
  }, 120_000);

  it('enrols TOTP, then signs in with a code and once with a recovery code', async () => {
    await page.getByRole('link', { name: 'Two-factor sign-in' }).click();
    await heading('Two-factor sign-in').waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const uri = page.locator('[data-secret]');
    await uri.waitFor();
    const totp = URI.parse((await uri.textContent())!) as TOTP;
    await page.getByLabel('Code from the app').fill(totp.generate());
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('region', { name: 'Recovery codes' }).locator('[data-secret]');
    await codes.waitFor();
    const recovery = (await codes.textContent())!.split('\n');
    expect(recovery).toHaveLength(10);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText('On: sign-in asks for a code.').waitFor();

    const signIn = async (code: string) => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Email').waitFor();
      await page.getByLabel('Email').fill(EMAIL);
      await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
      await page.keyboard.press('Enter');
      const field = page.getByLabel('Code from your authenticator app (or a recovery code)');
      await field.waitFor();
      await field.fill(code);
      await page.keyboard.press('Enter');
    };
    // The next time step's code: the enrolment used this one, and a code is good once.
    // Signed in again: back on the page it left, with the account's menu.
    const signedIn = () => heading('Two-factor sign-in').waitFor();
    await signIn(totp.generate({ timestamp: Date.now() + 30_000 }));
    await signedIn();

    await signIn(recovery[0]!);
    await signedIn();
    await signIn(recovery[0]!);
    // A used recovery code is refused: still on the sign-in form, with the reason.
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/totp-recovery-refused.png`, fullPage: true });
  }, 180_000);
});
