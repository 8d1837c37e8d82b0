import { mkdirSync, rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { buildConsole, launchBrowser } from './browser.js';
import { createOperator, OPERATOR_PASSWORD } from './console-session.js';
import { startHarness, type Harness } from './harness.js';

/** Where browser tests put their screenshots. */
export const SCREENSHOTS = 'test-results/web-console';

export interface ConsoleInBrowser {
  h: Harness;
  page: Page;
  close(): Promise<void>;
}

/**
 * The console built from source and served on SQLite with a job runner, as `npm start` serves
 * it, an operator `email` of alice's account, whatever `seed` adds, and Chromium on a fresh
 * profile at its address.
 */
export async function startConsoleInBrowser(
  email: string,
  seed: (h: Harness) => Promise<void> = async () => {},
): Promise<ConsoleInBrowser> {
  const webRoot = await buildConsole();
  const h = await startHarness('sqlite', { webRoot });
  const runner = new JobRunner(h.ctx);
  h.ctx.onJobQueued = () => runner.wake();
  runner.start();
  await createOperator(h, h.alice.actor, email);
  await seed(h);
  const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await launchBrowser(url);
  return {
    h,
    page: browser.page,
    async close() {
      await browser.close();
      await runner.stop();
      await h.close();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form, as a person does, and waits for the Domains page. */
export async function signInWithForm(page: Page, email: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(OPERATOR_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Domains', level: 1 }).waitFor();
}
