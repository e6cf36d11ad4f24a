import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startUi, type UiHarness } from './ui-support';

/** The connect screen's form: checked before connecting, each message next to its field, a refused pairing code shown on the code. */
describe('web UI: connect screen', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => {
    await ui?.close();
  });

  async function openBare(): Promise<{ page: Page; close: () => Promise<void> }> {
    const context = await ui.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${ui.server.url}/`);
    await page.getByRole('heading', { name: 'Zen Flow Control Center' }).waitFor();
    return { page, close: () => context.close() };
  }

  const focusedId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id');

  it('refuses a bad address and a missing token next to the fields, focusing the first, then connects', async () => {
    const { page, close } = await openBare();
    try {
      await page.getByLabel('Server URL').fill('ftp://example.org');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.locator('#connect-url-error').getByText('Use an http://, https://, ws:// or wss:// address').waitFor();
      await page.locator('#connect-token-error').getByText('A token is required').waitFor();
      await expect(page.getByLabel('Server URL').getAttribute('aria-describedby')).resolves.toContain('connect-url-error');
      await expect.poll(() => focusedId(page)).toBe('connect-url');

      await page.getByLabel('Server URL').fill(ui.server.url);
      await page.locator('#connect-token').fill(await ui.server.token());
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.locator('.conn').getByText('Connected', { exact: true }).waitFor({ timeout: 15_000 });
    } finally {
      await close();
    }
  });

  it("shows the server's refusal of a pairing code on the code field and stays on the screen", async () => {
    const { page, close } = await openBare();
    try {
      await page.getByLabel('Pairing code', { exact: true }).check();
      await page.getByRole('button', { name: 'Pair and connect' }).click();
      await page.locator('#connect-code-error').getByText('Enter the pairing code shown in the desktop app').waitFor();

      await page.locator('#connect-code').fill('WRONG-CODE');
      await page.getByRole('button', { name: 'Pair and connect' }).click();
      // This server hosts no LAN pairing: its refusal lands on the code, not in a general message.
      await page.locator('#connect-code-error').getByText('no route POST /api/pair').waitFor();
      await expect(page.getByRole('button', { name: 'Pair and connect' }).isEnabled()).resolves.toBe(true);
      await expect(page.locator('#connect-url-error').count()).resolves.toBe(0);
    } finally {
      await close();
    }
  });
});
