import type { Page } from 'playwright-core';
import type { CommandInput } from '../../shared/protocol/command-table';

export interface MainThreadSample {
  /** Share of wall time the renderer's main thread was running tasks (0–1). */
  busy: number;
  layoutsPerSecond: number;
  styleRecalcsPerSecond: number;
  seconds: number;
}

/**
 * Main-thread load over `ms`, from the DevTools protocol's Performance domain:
 * the delta of TaskDuration (time the main thread spent in tasks) over the delta of
 * its Timestamp, plus layout and style-recalculation counts per second.
 */
export async function measureMainThread(page: Page, ms: number): Promise<MainThreadSample> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>;
  const a = await read();
  await new Promise((r) => setTimeout(r, ms));
  const b = await read();
  await cdp.detach();
  const seconds = b.Timestamp! - a.Timestamp!;
  return {
    busy: (b.TaskDuration! - a.TaskDuration!) / seconds,
    layoutsPerSecond: (b.LayoutCount! - a.LayoutCount!) / seconds,
    styleRecalcsPerSecond: (b.RecalcStyleCount! - a.RecalcStyleCount!) / seconds,
    seconds,
  };
}

/** A training run long enough to measure against: ~30 s of per-epoch progress events on two-spirals. */
export const LIVE_TRAINING: CommandInput<'neural:training:start'> = {
  networkId: 'busy-net',
  dataset: 'two-spirals',
  config: { epochs: 1000, learningRate: 0.003, batchSize: 16, validation: 0.2, hiddenLayers: [96, 96] },
};
