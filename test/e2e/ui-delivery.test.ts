import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startUi, type UiHarness } from './ui-support';
import { LIVE_TRAINING } from './main-thread';
import { collect, nextEvent } from '../helpers/server';

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
    // Until the user chooses, the window's default is on: progress events together, once a beat.
    await expect(panel.getByLabel('Batch matching events into one frame').isChecked()).resolves.toBe(true);
    await panel.locator('#batch-default').getByText('every 250 ms').waitFor();
    await expect(panel.getByLabel('Events, channels or patterns').inputValue()).resolves.toBe('neural:training:progress, task:progress');
    await panel.getByLabel('Batch size').fill('0');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await page.locator('#batch-size-error').getByText('Must be at least 1').waitFor();
    await expect.poll(() => focusedId(page)).toBe('batch-size');
    await expect(page.getByRole('status').filter({ hasText: 'Batching on' }).count()).resolves.toBe(0);

    await panel.getByLabel('Batch size').fill('20');
    await panel.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('status').filter({ hasText: 'up to 20 events or 250 ms' }).waitFor();
    await expect(page.locator('#batch-size-error').count()).resolves.toBe(0);
    await expect(panel.locator('#batch-default').count()).resolves.toBe(0);
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

  it('by default a window takes training progress in batches, one frame per beat instead of one per epoch', async () => {
    const { page, waitConnected } = await ui.open({ route: 'neural' });
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => void (typeof f.payload === 'string' && frames.push(f.payload))));
    // A fresh load, so the socket is opened after the frames are watched.
    await page.reload();
    await waitConnected();
    const admin = await ui.server.client();
    await admin.subscribe({ channels: ['neural'] });
    const started = nextEvent(admin, 'neural:training:progress', 30_000);
    const { runId } = (await admin.request('neural:training:start', { ...LIVE_TRAINING, networkId: 'batched-net' })) as { runId: string };
    await started;
    const unbatched = collect(admin, 'neural:training:progress');
    const isBatch = (f: string) => f.startsWith('42["batch"') && f.includes('neural:training:progress');
    await expect.poll(() => frames.filter(isBatch).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    unbatched.stop();
    // On a fast machine the run may have finished by now.
    await admin.request('neural:training:stop', { runId }).catch(() => undefined);
    // Once the window's batching is in place, no progress event comes on its own.
    const first = frames.findIndex(isBatch);
    expect(frames.slice(first).filter((f) => f.startsWith('42["neural:training:progress"'))).toEqual([]);
    // Positive control: the same events reached a client without batching one frame each, several per batch.
    const batched = frames.slice(first).filter(isBatch);
    const perBatch = batched.map((f) => f.split('"neural:training:progress"').length - 1);
    expect(unbatched.items.length).toBeGreaterThan(batched.length);
    expect(Math.max(...perBatch)).toBeGreaterThan(1);
  }, 60_000);
});
