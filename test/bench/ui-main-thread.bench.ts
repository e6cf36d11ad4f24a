/**
 * Main-thread load of the web UI in Chromium while a training run streams per-epoch
 * progress (`npm run bench:ui`): for every view (or those in ROUTES=a,b), the share of
 * wall time the renderer's main thread is busy (DevTools Performance.getMetrics
 * TaskDuration deltas), plus layouts and style recalculations per second. Target ≤ 10 %.
 */
import { startUi } from '../e2e/ui-support';
import { LIVE_TRAINING, measureMainThread } from '../e2e/main-thread';
import { collect, nextEvent } from '../helpers/server';

const WINDOW_MS = 6000;
const TARGET = 0.1;

async function main(): Promise<void> {
  const ui = await startUi();
  let failed = false;
  try {
    const admin = await ui.server.client();
    await admin.subscribe({ channels: ['neural'] });
    for (const route of (process.env.ROUTES ?? 'neural,overview,system,swarms,tasks,api,timeline,events,settings').split(',')) {
      const { page, waitConnected } = await ui.open({ route });
      await waitConnected();
      await page.waitForTimeout(1000);
      const idle = await measureMainThread(page, WINDOW_MS / 2);
      const started = nextEvent(admin, 'neural:training:progress', 30_000);
      const { runId } = (await admin.request('neural:training:start', { ...LIVE_TRAINING, networkId: `busy-${route}` })) as { runId: string };
      await started;
      await page.waitForTimeout(1000);
      const events = collect(admin, 'neural:training:progress');
      const s = await measureMainThread(page, WINDOW_MS);
      events.stop();
      const epochsPerSecond = events.items.length / s.seconds;
      const stillRunning = await admin.request('neural:training:stop', { runId }).then(
        () => true,
        () => false,
      );
      console.log(
        `${route.padEnd(9)} main thread busy ${(s.busy * 100).toFixed(1)} % during training (idle ${(idle.busy * 100).toFixed(1)} %) · ${s.layoutsPerSecond.toFixed(1)} layouts/s · ${s.styleRecalcsPerSecond.toFixed(1)} style recalcs/s over ${s.seconds.toFixed(1)} s at ${epochsPerSecond.toFixed(0)} progress events/s${stillRunning ? '' : ' (the run ended inside the window)'}`,
      );
      if (s.busy > TARGET) failed = true;
      await page.close();
    }
  } finally {
    await ui.close();
  }
  console.log(failed ? `over the ${TARGET * 100} % target` : `within the ${TARGET * 100} % target`);
  process.exitCode = failed ? 1 : 0;
}

void main();
