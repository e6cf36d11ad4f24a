import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startUi, type UiHarness } from './ui-support';

/** Code analysis from a file, and tokens in Settings → Access. */
describe('web UI: code analysis from a file; issuing and revoking tokens', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('a picked file fills the code box and is analysed; an oversized one is refused before sending, clearing stale findings', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'tasks?tab=analysis' });
    await waitConnected();
    await page.locator('#analysis-file').setInputFiles({
      name: 'picked.js',
      mimeType: 'text/javascript',
      buffer: Buffer.from(['function picked(a) {', '  if (a) { return eval(a); }', '  return 0;', '}', ''].join('\n')),
    });
    // The file is read asynchronously: wait for the form to show it.
    await expect.poll(() => page.getByLabel('File name (steers language detection)').inputValue(), { timeout: 10_000 }).toBe('picked.js');
    await expect.poll(() => page.getByLabel('Source code').inputValue(), { timeout: 10_000 }).toMatch(/function picked/);
    await page.locator('#analysis-input').getByRole('button', { name: 'Analyze' }).click();
    const result = page.locator('#analysis-result');
    await result.getByText('Complexity per function').waitFor({ timeout: 30_000 });
    await expect(result.textContent()).resolves.toMatch(/picked/);

    // An oversized paste: refused at once next to the field, and the old findings are gone.
    const frames: number[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => frames.push(typeof f.payload === 'string' ? f.payload.length : f.payload.byteLength)));
    await page.getByLabel('Source code').fill('x'.repeat(1_000_001));
    await page.locator('#analysis-input').getByRole('button', { name: 'Analyze' }).click();
    await page
      .locator('#analysis-code-error')
      .getByText(/accepts at most 1 MB/)
      .waitFor({ timeout: 5000 });
    await expect(result.getByText('Complexity per function').count()).resolves.toBe(0);
    expect(frames.filter((n) => n > 100_000)).toEqual([]);

    // A file over 1 MB is refused before it is read.
    await page.locator('#analysis-file').setInputFiles({ name: 'huge.js', mimeType: 'text/javascript', buffer: Buffer.alloc(1_200_000, 0x61) });
    await page
      .locator('#analysis-code-error')
      .getByText(/huge\.js is 1\.2\s?MB/)
      .waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it('Settings → Access issues a token (permissions, lifetime, name), lists it, and marks it revoked', async () => {
    const { page, waitConnected } = await ui.open({ route: 'settings/access' });
    await waitConnected();
    const form = page.getByRole('form', { name: 'Issue a token' });
    await form.getByRole('button', { name: 'Issue token' }).click();
    await page.locator('#token-name-error').getByText('Required').waitFor();
    await form.getByLabel('Name (who or what uses it)').fill('wallboard');
    await form.getByLabel('tasks', { exact: true }).selectOption('read');
    await form.getByLabel('Lifetime').fill('2h');
    await form.getByRole('button', { name: 'Issue token' }).click();
    const token = await form.getByLabel('New token').inputValue();
    expect(token.length).toBeGreaterThan(20);

    // The token works, with exactly the chosen permissions.
    const res = await fetch(`${ui.server.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toMatchObject({ userId: 'wallboard', permissions: ['read:system', 'read:tasks'] });

    const row = page.locator('#access-tokens tbody tr', { hasText: 'wallboard' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/read:system, read:tasks/);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    await expect(row.getByRole('button', { name: 'Revoke' }).count()).resolves.toBe(0);
    await eventually(
      async () => (await fetch(`${ui.server.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } })).status,
      (s) => s === 401,
    );

    // Issued elsewhere (the CLI, another admin): the list picks it up by itself.
    await ui.server.token(['read:api'], 3600, 'cli-issued');
    await page.locator('#access-tokens tbody tr', { hasText: 'cli-issued' }).waitFor({ timeout: 10_000 });
  }, 60_000);
});
