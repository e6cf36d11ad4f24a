import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type UiHarness } from './ui-support';

/** Settings in the web UI: configuration with a dry-run diff, apply, audit trail and rollback; permission requests. */
describe('web UI: settings', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('previews a configuration change as a diff, applies it, and rolls it back with confirmation', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'settings/config' });
    await waitConnected();
    const cpuWarning = page.getByLabel('CPU warning');
    await expect(cpuWarning.inputValue()).resolves.toBe('80');

    // A value the shared schema refuses is caught next to its field, before anything is sent.
    await cpuWarning.fill('99');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    await page.locator('#cfg-cpuWarning-error').getByText('cpuWarning must be below cpuCritical').waitFor();

    await cpuWarning.fill('70');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.locator('.preview');
    await preview.getByText('Dry run: what would change').waitFor();
    await expect(preview.locator('tbody tr').allTextContents()).resolves.toEqual([expect.stringMatching(/cpuWarning\s*80\s*70/)]);
    // A dry run applies nothing.
    expect(ui.server.server.engines.config.version('system')).toBe(1);
    await page.getByRole('button', { name: 'Apply 1 change' }).click();
    await page.locator('#config-editor').getByText('version 2', { exact: true }).waitFor();
    expect(ui.server.server.engines.config.version('system')).toBe(2);

    const audit = page.locator('#config-audit');
    await audit.getByText('v2').waitFor();
    await audit.getByRole('button', { name: 'Roll back to v1' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Roll system back to version 1?').waitFor();
    await expect(dialog.locator('tbody').textContent()).resolves.toMatch(/cpuWarning\s*70\s*80/);
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await page.locator('#config-editor').getByText('version 3', { exact: true }).waitFor();
    await expect(cpuWarning.inputValue()).resolves.toBe('80');
    expect(problems).toEqual([]);
  });

  it('lets a read-only user ask for a permission and an admin grant it', async () => {
    const viewerToken = await ui.server.token(['read:*'], 600, 'viewer');
    const viewer = await ui.open({ token: viewerToken, route: 'settings/connection' });
    const admin = await ui.open({ route: 'settings/access' });
    await viewer.waitConnected();
    await admin.waitConnected();

    // Validated with the shared schema: nothing ticked, no reason.
    await viewer.page.getByRole('button', { name: 'Send request' }).click();
    await viewer.page.getByText('Add at least one').waitFor();

    await viewer.page.getByLabel('write:swarms').check();
    await viewer.page.getByLabel('Reason').fill('scale the ops swarm');
    await viewer.page.getByRole('button', { name: 'Send request' }).click();

    const request = admin.page.locator('#access-requests li', { hasText: 'scale the ops swarm' });
    await request.waitFor({ timeout: 10_000 });
    await request.getByRole('button', { name: 'Approve' }).click();

    // The viewer's window takes the granted token and reconnects with the new scope.
    await viewer.page.locator('.chip', { hasText: 'write:swarms' }).waitFor({ timeout: 15_000 });
    await viewer.waitConnected();
  });
});
