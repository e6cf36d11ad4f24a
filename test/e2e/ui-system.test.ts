import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartPoints, eventually, startUi, type UiHarness } from './ui-support';

/** The foundation's web UI against a real server: connect with a token, live System view, connection states. */
describe('web UI: connect and System view', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => {
    await ui?.close();
  });

  it('takes ?token= from the address bar, removes it, and connects', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'system' });
    await waitConnected();
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toContain('#/system');
    await expect(page.locator('.chips').textContent()).resolves.toContain('all permissions');
    expect(problems).toEqual([]);
  });

  it('shows the health badge and CPU, memory and network charts that move', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'system' });
    await waitConnected();
    const health = page.locator('[role=status][aria-label^="Health:"]').first();
    await eventually(
      () => health.getAttribute('aria-label'),
      (v) => /Health: (healthy|degraded|critical)/.test(v ?? ''),
    );
    // system:status arrives on subscribe and every 5 s; stored history fills the window over REST;
    // then every live status adds a point.
    await eventually(
      () => chartPoints(page, 'CPU'),
      (n) => n >= 1,
    );
    await page.waitForTimeout(1500);
    const settled = await chartPoints(page, 'CPU');
    await eventually(
      () => chartPoints(page, 'CPU'),
      (n) => n > settled,
      15_000,
    );
    await eventually(
      () => chartPoints(page, 'Memory'),
      (n) => n >= 1,
    );
    // system:metrics (every 10 s) carries the network rates.
    await eventually(
      () => chartPoints(page, 'Network'),
      (n) => n >= 1,
      25_000,
    );
    const cpuLabel = await page.locator('[role=img][aria-label^="CPU:"]').first().getAttribute('aria-label');
    expect(cpuLabel).toMatch(/CPU \d+\s%/);
    // Longer windows come from stored history over REST.
    await page.getByRole('radio', { name: '1 h' }).click();
    await expect(page.getByRole('radio', { name: '1 h' }).getAttribute('aria-checked')).resolves.toBe('true');
    expect(problems).toEqual([]);
  }, 60_000);

  it('opens the command palette with Ctrl+K and navigates', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'system' });
    await waitConnected();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Command palette' }).fill('neural');
    await page.keyboard.press('Enter');
    await eventually(
      async () => page.url(),
      (u) => u.endsWith('#/neural'),
    );
    expect(problems).toEqual([]);
  });

  it('says why a token is refused', async () => {
    const { page } = await ui.open({ token: 'not-a-token' });
    await page.getByText('Refused: invalid token').waitFor({ timeout: 10_000 });
    expect(page.url()).not.toContain('token=');
  });

  it('shows a read-only token which scope its missing controls need', async () => {
    const token = await ui.server.token(['read:*'], 600, 'viewer');
    const { page, waitConnected, go } = await ui.open({ token, route: 'neural' });
    await waitConnected();
    await page.getByRole('heading', { name: 'Neural', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Start training' }).count()).toBe(0);
    await page.locator('#neural-train').getByText('Starting or stopping a training run needs admin:neural').waitFor();
    await go('settings/config');
    await page.getByText('Configuration needs admin:system').waitFor();
  });
});

describe('web UI: connection loss', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => {
    await ui?.close().catch(() => undefined);
  });

  it('shows reconnecting and stale data while the server is down, and recovers', async () => {
    const { page, waitConnected } = await ui.open({ route: 'system' });
    await waitConnected();
    await eventually(
      () => chartPoints(page, 'CPU'),
      (n) => n >= 1,
    );
    const { url, dataDir } = ui.server;
    await ui.server.server.close();
    await page
      .locator('.conn')
      .getByText(/Reconnecting/)
      .waitFor({ timeout: 10_000 });
    await page
      .getByText(/stale since \d\d:\d\d:\d\d/)
      .first()
      .waitFor({ timeout: 10_000 });
    // Same port and data directory: the same token is valid again.
    const { startTestServer } = await import('../helpers/server');
    ui.server = await startTestServer({ webRoot: null, engines: true, dataDir, port: Number(new URL(url).port) });
    await waitConnected();
    await eventually(
      async () => page.getByText(/stale since/).count(),
      (n) => n === 0,
      20_000,
    );
  }, 60_000);
});
