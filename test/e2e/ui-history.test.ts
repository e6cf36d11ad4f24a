import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';
import { eventually, startUi, type UiHarness } from './ui-support';

/**
 * Swarm efficiency and the Timeline's busy-agents lane start from the server's event log
 * (issue 9.7), not empty. The server that made the history stops; the UI then runs against a
 * restart on the same data directory whose simulated clock is so slow that no new efficiency
 * report can arrive while the test looks: every point drawn came from the log.
 */
describe('web UI: chart history from the event log', () => {
  let ui: UiHarness | undefined;
  afterAll(async () => {
    await ui?.close();
  });

  it('a reload shows the swarm efficiency and busy agents recorded before it', async () => {
    const first = await startTestServer({ simSpeed: 100, engines: true });
    const dataDir = first.dataDir;
    const token = await first.token();
    const c = await first.client({ token });
    const swarm = await c.request('swarm:create', { name: 'Historic', topology: 'mesh', agents: 3 });
    for (let i = 0; i < 5; i++) await c.request('task:create', { title: `long ${i}`, priority: 'medium', assignee: 'auto', swarmId: swarm.id, estimatedDuration: 3_600_000 });
    const logged = async (base: string, auth: string) =>
      (
        (await (await fetch(`${base}/api/events?channels=swarms&events=swarm:efficiency&limit=1000`, { headers: { authorization: `Bearer ${auth}` } })).json()) as {
          events: { event: string; data: { swarmId: string; avgUtilization: number; agents: number } }[];
        }
      ).events;
    // Ten simulated seconds per report: one every 100 ms of real time at speed 100.
    await eventually(
      () => logged(first.url, token),
      (events) => events.length >= 20,
      20_000,
    );
    c.close();
    await first.server.close();

    ui = await startUi({ dataDir, simSpeed: 0.001 });
    const history = await logged(ui.server.url, await ui.server.token());
    // Only the efficiency reports asked for, all of this swarm, and its agents were busy.
    expect(history.every((e) => e.event === 'swarm:efficiency' && e.data.swarmId === swarm.id)).toBe(true);
    expect(history.some((e) => e.data.avgUtilization > 0.5 && e.data.agents === 3)).toBe(true);

    const { page, waitConnected, problems } = await ui.open({ route: `swarms/${swarm.id}` });
    await waitConnected();
    const chart = page.locator('#swarm-eff .chart');
    // Efficiency and utilisation: one point per logged report each.
    await eventually(
      async () => Number(await chart.getAttribute('data-points')),
      (n) => n >= 2 * history.length,
      10_000,
    );

    // A one-minute window: ~90 ms per drawn point, so reports 100 ms apart each get one. Live
    // sampling adds one point per 2 s: within 3 s, without the log, the lane would hold two.
    await page.evaluate(`location.hash = '#/timeline?span=60000'`);
    const lane = page.locator('#timeline-panel path.busy');
    await eventually(
      async () => (await lane.getAttribute('d')) ?? '',
      (d) => (d.match(/[ML]/g) ?? []).length >= history.length / 2,
      3_000,
      100,
    );
    await page.locator('#timeline-panel').getByText('busy of 3').waitFor();
    expect(problems).toEqual([]);
  }, 90_000);
});
