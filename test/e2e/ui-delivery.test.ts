import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startUi, type UiHarness } from './ui-support';

/** Settings → Delivery: three forms on one page, each refusing bad input next to its field before anything is sent. */
describe('web UI: delivery settings', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => {
    await ui?.close();
  });

  const focusedId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id');

  it('batching: a size out of range is refused at the field and focused; a good one is applied', async () => {
    const { page, waitConnected, problems } = await ui.open({ route: 'settings/delivery' });
    await waitConnected();
    const panel = page.locator('#delivery-batching');
    await panel.getByLabel('Batch matching events into one frame').check();
    await panel.getByLabel('Batch size').fill('0');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#batch-size-error').getByText('Must be at least 1').waitFor();
    await expect.poll(() => focusedId(page)).toBe('batch-size');
    await expect(page.getByRole('status').filter({ hasText: 'Batching on' }).count()).resolves.toBe(0);

    await panel.getByLabel('Batch size').fill('20');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'up to 20 events or 1000 ms' }).waitFor();
    await expect(page.locator('#batch-size-error').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });

  it('rate limits: a malformed event name is refused on its row', async () => {
    const { page, waitConnected } = await ui.open({ route: 'settings/delivery' });
    await waitConnected();
    const panel = page.locator('#delivery-rate');
    await panel.getByLabel('Event', { exact: true }).fill('not an event');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#rate-event-0-error').getByText('an event name such as system:metrics').waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Rate limits applied' }).count()).resolves.toBe(0);

    await panel.getByLabel('Event', { exact: true }).fill('system:metrics');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'system:metrics ≤ 5/s' }).waitFor();
  });

  it('performance tracking: the interval is checked in the seconds the field shows, then tracking turns on', async () => {
    const { page, waitConnected } = await ui.open({ route: 'settings/delivery' });
    await waitConnected();
    const panel = page.locator('#delivery-perf');
    await panel.getByLabel('Report every (s)').fill('0.5');
    await panel.getByRole('button', { name: 'Turn on' }).click();
    await page.locator('#perf-interval-error').getByText('Must be at least 1 s').waitFor();
    await expect.poll(() => focusedId(page)).toBe('perf-interval');

    await panel.getByLabel('Report every (s)').fill('2');
    await panel.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('status').filter({ hasText: 'Performance tracking on' }).waitFor();
    await panel.getByRole('button', { name: 'Update' }).waitFor();
  });
});
